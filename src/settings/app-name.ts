/**
 * What a Heroku app name looks like (`HEROKU_APP_NAME`, `--app`): checked
 * before it reaches a URL or the heroku CLI's command line. A bare pattern,
 * so the CLI can check a flag without loading valibot.
 */
export const HEROKU_APP_NAME_PATTERN = /^[a-z][a-z0-9-]{1,29}$/;

/** The rule, for messages. */
export const HEROKU_APP_NAME_RULE = 'lowercase letters, digits and dashes, starting with a letter, at most 30';
