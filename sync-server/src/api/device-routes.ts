/** Devices and enrollment (api-contract.md "Devices and enrollment"). */
import { mayManageDevices, mayViewDevicesOf } from '../auth/access-rules.js';
import { AuthError } from '../auth/auth-errors.js';
import { publicDevice, type PublicDevice } from '../auth/enrollment.js';
import type { Principal } from '../auth/principal.js';
import { isValidEntityId } from '../provisioning/db-names.js';
import { ok, type ApiDeps, type RouteDef } from './api-types.js';
import { onlyFields } from './input.js';
import { actorOf, person } from './people-routes.js';

/** Admins and HR see every device; a manager those of employees in their teams; a device itself. */
async function mayView(p: Principal, employeeId: string, deviceId: string | null, d: ApiDeps): Promise<boolean> {
  if (p.type === 'device') return deviceId !== null && p.deviceId === deviceId;
  if (mayViewDevicesOf(p, [])) return true; // no team lookup for those who see everyone's
  if (p.role !== 'manager') return false;
  return mayViewDevicesOf(p, await d.provisioner.teamsOf(employeeId));
}

export const deviceRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: 'enrollment-codes',
    auth: 'person',
    async handle(r, d) {
      const actor = actorOf(r);
      // refused before anything is provisioned
      if (!mayManageDevices(person(r))) throw new AuthError('forbidden', 'only admins create enrollment codes');
      const b = await r.body();
      onlyFields(b, ['employeeId', 'teamId', 'orgKeyFingerprint', 'ttlMs']);
      const created = await d.services.enrollment.createCode(actor, {
        employeeId: b.employeeId as string, // the service checks every field
        teamId: (b.teamId ?? null) as string | null,
        orgKeyFingerprint: b.orgKeyFingerprint as string,
        ...(b.ttlMs !== undefined ? { ttlMs: b.ttlMs as number } : {}),
      });
      // The device replicates as soon as it enrolls, so its databases exist first. If this
      // fails the code is never shown, and a retry provisions again (idempotent).
      try {
        await d.provisioner.provisionEmployee({ employeeId: created.employeeId, teamId: created.teamId });
      } catch (e) {
        d.logger?.error(
          { err: (e as Error).message, employeeId: created.employeeId },
          'provisioning for an enrollment code failed',
        );
        throw new AuthError('store-unavailable', "the employee's databases could not be created; try again");
      }
      return ok(created, 201);
    },
  },
  {
    method: 'POST',
    path: 'enroll',
    auth: 'anonymous',
    async handle(r, d) {
      const b = await r.body();
      onlyFields(b, ['code', 'signPublicKey', 'name', 'platform']);
      if (b.signPublicKey === undefined)
        throw new AuthError(
          'invalid-input',
          "signPublicKey is required (base64url of the device's Ed25519 public key)",
        );
      const enrolled = await d.services.enrollment.redeem(
        b.code,
        { name: b.name, platform: b.platform, signPublicKey: b.signPublicKey },
        { ip: r.ip, userAgent: r.userAgent },
      );
      return ok(enrolled, 201);
    },
  },
  {
    method: 'GET',
    path: 'devices',
    auth: 'person',
    async handle(r, d) {
      const p = person(r);
      const employeeId = r.query.get('employeeId');
      if (employeeId !== null && !isValidEntityId(employeeId))
        throw new AuthError('invalid-input', 'employeeId must be an employee id');
      if (employeeId === null) {
        if (!mayManageDevices(p)) throw new AuthError('forbidden', 'only admins list every device; give employeeId');
        return ok({ devices: (await d.services.store.listDevices()).map(publicDevice) });
      }
      if (!(await mayView(p, employeeId, null, d)))
        throw new AuthError('forbidden', "you may not see that employee's devices");
      return ok({ devices: await d.services.enrollment.devicesOf(employeeId) });
    },
  },
  {
    method: 'GET',
    path: 'devices/:deviceId',
    auth: 'any',
    async handle(r, d) {
      const device = await d.services.store.getDevice(r.params.deviceId!);
      // the same answer for "not yours" and "does not exist" to other devices
      if (!device && r.principal!.type === 'device')
        throw new AuthError('forbidden', 'a device may only look at itself');
      if (!device) throw new AuthError('not-found', 'no such device');
      if (!(await mayView(r.principal!, device.employeeId, device.deviceId, d)))
        throw new AuthError('forbidden', 'you may not see this device');
      const pub: PublicDevice = publicDevice(device);
      return ok(pub);
    },
  },
  {
    method: 'POST',
    path: 'devices/:deviceId/revoke',
    auth: 'person',
    async handle(r, d) {
      return ok(await d.services.enrollment.revokeDevice(actorOf(r), r.params.deviceId!));
    },
  },
];
