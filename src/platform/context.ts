export type Role = 'admin' | 'ops' | 'viewer' | 'channel';
export interface Principal {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
  /** set only for role 'channel': the one channel this credential may act for */
  readonly channelId: string | null;
}
/** Passed first to every service method: who acts, and when. */
export interface Ctx {
  readonly actor: string;
  readonly principal: Principal;
  readonly requestId?: string;
}
export const SYSTEM: Ctx = Object.freeze({
  actor: 'system',
  principal: Object.freeze({ keyId: 'system', name: 'system', role: 'admin' as Role, channelId: null }),
});
