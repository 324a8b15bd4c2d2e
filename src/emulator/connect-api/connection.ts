/**
 * A Heroku Connect connection's state, the one place it lives: what the
 * Heroku Connect API reports (heroku-connect.md §5.3, §5.4), what pausing,
 * importing and reloading change, and what the emulator's sync reads (the
 * write algorithm from `features.poll_db_no_merge`, paused or not, each
 * mapping's polling settings).
 */
import { createHash } from 'node:crypto';

/** One mapping of a connection, as the API shows it and the sync reads it. */
export interface ConnectMapping {
  readonly id: string;
  readonly _id: number;
  readonly objectName: string;
  state: string;
  /** The mapping's config as imported/exported (`access`, `sf_polling_seconds`, `fields`, ...). */
  config: Record<string, unknown>;
  /** Rows in the table and pending / failed trigger log entries, when known. */
  counts?: { readonly db: number; readonly sf: number; readonly pending: number; readonly errors: number };
  /** A scripted mapping (the fake's): shown as given. */
  readonly scripted?: Readonly<Record<string, unknown>>;
}

/** What a connection is made from. */
export interface ConnectionSpec {
  readonly id: string;
  /** The Heroku app it belongs to. */
  readonly app: string;
  /** Initial state (default IDLE). */
  readonly state?: string;
  /** Default `<app>:DATABASE_URL:<schema>`. */
  readonly name?: string;
  /** Default `salesforce`. */
  readonly schemaName?: string;
  /** Feature flags (`{ poll_db_no_merge: true }` for ordered writes). */
  readonly features?: Readonly<Record<string, boolean>>;
  /** Only listed once the account is linked (`POST /users/me/apps/{app}/auth`). */
  readonly requiresLink?: boolean;
  /** After an import, how many GETs of the connection still show IMPORT_CONFIGURATION (default 1). */
  readonly importPolls?: number;
  /** The state an import ends in (default IDLE). */
  readonly importEndsIn?: string;
  /** The organization the connection is authorized against. */
  readonly organizationId?: string;
}

/** A stable UUID-shaped id from a name (the emulator's connection keeps its id across restarts). */
export function stableUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** One connection. */
export class ConnectConnection {
  readonly spec: ConnectionSpec;
  readonly _id: number;
  state: string;
  name: string;
  features: Record<string, boolean>;
  readonly mappings: ConnectMapping[] = [];
  /** GETs left before an import ends; undefined when none is running. */
  #importPollsLeft: number | undefined;
  #stateBeforeImport: string | undefined;

  constructor(spec: ConnectionSpec, internalId: number) {
    this.spec = spec;
    this._id = internalId;
    this.state = spec.state ?? 'IDLE';
    this.name = spec.name ?? `${spec.app}:DATABASE_URL:${spec.schemaName ?? 'salesforce'}`;
    this.features = { ...spec.features };
  }

  get id(): string {
    return this.spec.id;
  }

  get schemaName(): string {
    return this.spec.schemaName ?? 'salesforce';
  }

  get paused(): boolean {
    return this.state === 'PAUSED';
  }

  /** An import started: the state is IMPORT_CONFIGURATION for the next `importPolls` reads. */
  startImport(): void {
    this.#stateBeforeImport ??= this.state;
    this.state = 'IMPORT_CONFIGURATION';
    this.#importPollsLeft = this.spec.importPolls ?? 1;
  }

  /** A read of the connection: an import in progress gets one poll nearer its end. */
  read(): void {
    if (this.#importPollsLeft === undefined) return;
    if (this.#importPollsLeft > 0) {
      this.#importPollsLeft--;
      return;
    }
    this.state = this.spec.importEndsIn ?? (this.#stateBeforeImport === 'PAUSED' ? 'PAUSED' : 'IDLE');
    this.#importPollsLeft = undefined;
    this.#stateBeforeImport = undefined;
  }

  /** Set the state, ending any import in progress. */
  setState(state: string): void {
    this.state = state;
    this.#importPollsLeft = undefined;
    this.#stateBeforeImport = undefined;
  }

  /** The API's connection object; `deep` adds the mappings. */
  render(baseUrl: string, deep: boolean): Record<string, unknown> {
    const detail = `/api/v3/connections/${encodeURIComponent(this.id)}`;
    return {
      id: this.id,
      _id: this._id,
      name: this.name,
      app_name: this.spec.app,
      schema_name: this.schemaName,
      db_key: 'DATABASE_URL',
      state: this.state,
      mappings_summary_state: this.mappings.every((mapping) => ['DATA_SYNCED', 'INITIAL'].includes(mapping.state)) ? 'OK' : 'BUSY',
      organization_id: this.spec.organizationId ?? null,
      detail_url: detail,
      notifications_url: `${detail}/notifications`,
      resource_name: `herokuconnect-${this.spec.app}`,
      plan: 'enterprise',
      soap_batch_size: 200,
      features: this.features,
      ...(deep ? { mappings: this.mappings.map((mapping) => renderMapping(baseUrl, this, mapping)) } : {}),
    };
  }
}

/** The API's mapping object. */
export function renderMapping(baseUrl: string, connection: ConnectConnection, mapping: ConnectMapping): Record<string, unknown> {
  if (mapping.scripted !== undefined) return { ...mapping.scripted, state: mapping.state };
  const detail = `/api/v3/mappings/${encodeURIComponent(mapping.id)}`;
  const config = mapping.config;
  return {
    id: mapping.id,
    _id: mapping._id,
    object_name: mapping.objectName,
    state: mapping.state,
    config,
    detail_url: detail,
    errors_url: `${detail}/errors`,
    schema_url: `${baseUrl}/api/v3/connections/${encodeURIComponent(connection.id)}/schemas/${mapping.objectName}`,
    connection: { id: connection.id },
    sf_notify_enabled: config['sf_notify_enabled'] ?? false,
    sf_polling_seconds: config['sf_polling_seconds'] ?? 600,
    access: config['access'] ?? 'read_only',
    upsert_field: config['upsert_field'] ?? null,
    counts: mapping.counts ?? { db: 0, sf: 0, pending: 0, errors: 0 },
    actively_writing: false,
    is_polling: false,
  };
}
