import { defineConfig } from 'drizzle-kit';

// drizzle-kit manages only the app's own tables. The Heroku Connect tables live
// in examples/salesforce.ts, outside `schema`: `generate` ignores schemaFilter,
// so keeping them out of these files is what keeps their DDL out of migrations.
export default defineConfig({
  dialect: 'postgresql',
  schema: './examples/app.ts',
  out: './examples/drizzle',
  schemaFilter: ['public'],
  ...(process.env['DATABASE_URL'] ? { dbCredentials: { url: process.env['DATABASE_URL'] } } : {}),
});
