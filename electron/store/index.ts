/** The workspace database: the only place in the app that holds SQL. */
export { inTransaction, type StoreDb } from './db.ts';
export { openStore, type OpenOptions } from './open.ts';
export { MIGRATIONS, migrate, schemaVersion, type Migration } from './migrations.ts';
export { NewerDatabaseError, RecordingChangedError, StoreError } from './errors.ts';
export * from './label-sets.ts';
export * from './recordings.ts';
export * from './import.ts';
export * from './sessions.ts';
export * from './annotations.ts';
export * from './models.ts';
export * from './predictions.ts';
export * from './summary.ts';
export * from './training-runs.ts';
export * from './library-folders.ts';
export * from './overview.ts';
export * from './tiers.ts';
export * from './merge.ts';
export * from './timeline.ts';
