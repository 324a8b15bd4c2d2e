export * from './diff-heroku-connect.ts';
export * from './format-diff.ts';
