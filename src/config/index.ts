export * from './define-config.ts';
