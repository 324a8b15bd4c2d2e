import { defineConfig } from 'hc-drizzle/config';

// Where hc-drizzle finds the Heroku Connect tables of the example app.
export default defineConfig({ schema: './examples/salesforce.ts' });
