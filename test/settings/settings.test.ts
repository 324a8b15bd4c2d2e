import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_API_ENDPOINT, readSettings, schemaSetting } from '../../src/settings/settings.ts';
import { SettingsError } from '../../src/errors.ts';

describe('settings', () => {
  it('defaults like django-heroku-connect', () => {
    assert.deepEqual(readSettings({}), {
      schema: 'salesforce',
      organizationId: '',
      appName: '',
      authToken: undefined,
      apiEndpoint: DEFAULT_API_ENDPOINT,
      databaseUrl: undefined,
    });
  });

  it('reads every variable', () => {
    const settings = readSettings({
      HEROKU_CONNECT_SCHEMA: 'org',
      HEROKU_CONNECT_ORGANIZATION_ID: '00D5g000004XyZa',
      HEROKU_APP_NAME: 'my-app',
      HEROKU_AUTH_TOKEN: 'tok-123',
      HEROKU_CONNECT_API_ENDPOINT: 'https://connect-us.heroku.com/api/v3/',
      DATABASE_URL: 'postgres://u@localhost/db',
    });
    assert.deepEqual(settings, {
      schema: 'org',
      organizationId: '00D5g000004XyZa',
      appName: 'my-app',
      authToken: 'tok-123',
      apiEndpoint: 'https://connect-us.heroku.com/api/v3',
      databaseUrl: 'postgres://u@localhost/db',
    });
  });

  it('treats blank values as unset', () => {
    assert.equal(readSettings({ HEROKU_CONNECT_SCHEMA: '  ' }).schema, 'salesforce');
  });

  const bad: [string, string, RegExp][] = [
    ['HEROKU_CONNECT_SCHEMA', 'Sales Force', /schema name/],
    ['HEROKU_APP_NAME', 'My_App', /Heroku app name/],
    ['HEROKU_CONNECT_API_ENDPOINT', 'connect-eu.heroku.com', /URL/],
    ['DATABASE_URL', 'mysql://x', /postgres/],
    ['HEROKU_CONNECT_ORGANIZATION_ID', '00D-not-an-id', /organization id/],
  ];
  for (const [variable, value, problem] of bad) {
    it(`names ${variable} when it is invalid`, () => {
      assert.throws(
        () => readSettings({ [variable]: value }),
        (error: unknown) =>
          error instanceof SettingsError && error.variable === variable && error.message.startsWith(`${variable} is invalid`) && problem.test(error.message),
      );
    });
  }

  it('never prints the auth token in an error', () => {
    assert.throws(() => readSettings({ HEROKU_AUTH_TOKEN: 'secret value' }), (error: Error) => !error.message.includes('secret'));
  });

  it('masks the credentials of a URL setting in its error', () => {
    for (const [variable, value] of [
      ['DATABASE_URL', 'mysql://admin:hunter2@db.example.com/app'],
      ['HEROKU_CONNECT_API_ENDPOINT', 'https://user:hunter2@connect-eu.heroku.com/api/v3'],
      ['HEROKU_CONNECT_API_ENDPOINT', 'https://user:hun ter2@not a url'],
    ] as const) {
      assert.throws(
        () => readSettings({ [variable]: value }),
        (error: unknown) => error instanceof SettingsError && error.variable === variable && !error.message.includes('hunter2') && error.message.includes('***@'),
      );
    }
  });

  it('reads the schema alone, ignoring unrelated bad settings', () => {
    assert.equal(schemaSetting({ HEROKU_CONNECT_SCHEMA: 'org', HEROKU_APP_NAME: 'BAD NAME' }), 'org');
  });
});
