/**
 * What the admin use-cases need from the world, owned by them (as
 * agent/src/recorder/ports.ts is): the sync-server and the profile's trust
 * pins. The Node adapters (node/server-client.ts over HTTP,
 * node/profile-store.ts on disk) implement these; so can a test, or a GUI's
 * own transport, without the use-cases importing Node or an HTTP client.
 */
import type {
  CreateUserRequest,
  EnrollmentCode,
  EnrollmentCodeRequest,
  LoginResult,
  PersonMe,
  PublicDevice,
  PublicUser,
  SecondFactor,
  TotpStatus,
} from '@sealtime/shared';

// The API's bodies are wire contracts (shared/src/wire/api-contract.ts): re-exported for the admin use-cases.
export type { EnrollmentCode, LoginResult, PublicDevice, PublicUser, SecondFactor, TotpStatus };

/** The admin side always holds a person's session: `me()` refuses a device credential, so its answer is a person. */
export type Me = PersonMe;

export interface PublicSession {
  sessionId: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  revokedAt: number | null;
  state: string;
}

/** One entry of the server's audit trail (GET audit), as the server stores it. */
export interface AuditEntryWire {
  _id: string;
  at: number;
  actor: string;
  action: string;
  target: string;
  diff: Array<{ path: string; from?: unknown; to?: unknown }>;
  ip: string | null;
  userAgent: string | null;
  details?: Record<string, unknown>;
}

/**
 * A device as the admin use-cases read it. The API refuses an enrollment
 * without a signing key (device-routes.ts), so devices carry one; the wire
 * type still allows null for records that predate that rule.
 */
export type EnrolledDevice = PublicDevice & { signPublicKey: string };

export interface CouchRow<T> {
  id: string;
  doc?: T & { _id: string; _rev: string };
}

export type BulkResult = Array<{ id: string; ok?: boolean; rev?: string; error?: string; reason?: string }>;

/** Reads a file the person named (a key ring export); the CLI passes one, an app without files does not. */
export type ReadText = (path: string) => Promise<string>;

/** The organisation signing-key fingerprint an admin pinned for one server (node/profile-store.ts keeps them). */
export interface Trust {
  server: string;
  orgId: string;
  orgFingerprint: string;
}

/** The profile's pins, as key custody checks and sets them. */
export interface TrustPins {
  trust(server: string): Promise<Trust | null>;
  pin(t: Trust): Promise<void>;
}

/**
 * The server as the use-cases call it: the Sealtime API and the few CouchDB
 * endpoints the gateway lets people use. Failures are AdminErrors.
 */
export interface AdminServer {
  readonly url: string;
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
  me(): Promise<Me>;
  createUser(input: CreateUserRequest): Promise<PublicUser>;
  createEnrollmentCode(input: EnrollmentCodeRequest): Promise<EnrollmentCode>;
  devices(employeeId?: string): Promise<EnrolledDevice[]>;
  device(deviceId: string): Promise<EnrolledDevice>;
  myKeyrings(): Promise<unknown[]>;
  users(): Promise<PublicUser[]>;
  updateUser(
    userId: string,
    patch: { role?: string; teams?: string[]; disabled?: boolean; employeeId?: string | null },
  ): Promise<PublicUser>;
  setPassword(userId: string, password: string): Promise<{ ok: true }>;
  revokeSessions(userId: string): Promise<{ ended: number }>;
  allDocs<T>(db: string): Promise<Array<T & { _id: string; _rev: string }>>;
  getDoc<T>(db: string, id: string): Promise<(T & { _id: string; _rev: string }) | null>;
  /** Writes every doc or throws naming the ones refused. */
  bulkDocs(db: string, docs: ReadonlyArray<Record<string, unknown>>): Promise<BulkResult>;
}
