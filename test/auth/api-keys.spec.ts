import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeys } from '../../src/auth/api-keys';
import { STREAM_SCHEMAS } from '../../src/catalog';
import { loadConfig } from '../../src/config/app-config';
import type { EventStore } from '../../src/event-store/event-store.port';
import { createEventStore } from '../../src/event-store/event-store.module';

/** What one instance issues or revokes counts in the other at its next request (README, "Keys and roles"). */
describe('two instances of the service on one key store, each holding the keys in memory', () => {
  let folder: string;
  let stores: EventStore[];
  let [here, there]: ApiKeys[] = [];
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'keys-'));
    stores = [0, 1].map(() => createEventStore(loadConfig({ DATA_DIR: folder }), STREAM_SCHEMAS));
    [here, there] = stores.map((store) => new ApiKeys(store));
  });
  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
    rmSync(folder, { recursive: true, force: true });
  });

  it('authenticate a key issued by the other, refuse it once the other revoked it, and list both at once', async () => {
    const admin = (await here.bootstrapAdmin())!;
    expect(await there.authenticate(admin.key)).toEqual({ keyId: admin.keyId, role: 'admin' });

    const brand = await here.issue({ role: 'brand', partyId: 'brand-feiyue', label: 'Feiyue' }, 'admin');
    expect(await there.authenticate(brand.key)).toEqual({ keyId: brand.keyId, role: 'brand', partyId: 'brand-feiyue' });

    expect(await here.revoke(brand.keyId, 'admin')).toBe(true);
    expect(await there.authenticate(brand.key)).toBeUndefined();
    expect(await there.authenticate(admin.key)).toEqual({ keyId: admin.keyId, role: 'admin' });
    expect((await there.list()).map(({ keyId, revokedBy }) => ({ keyId, revokedBy }))).toEqual([
      { keyId: admin.keyId, revokedBy: undefined },
      { keyId: brand.keyId, revokedBy: 'admin' },
    ]);
    expect(await there.revoke(brand.keyId, 'admin')).toBe(true);
  });

  it('refuses a key never issued, even one a character away from an issued key, and revokes no unknown key', async () => {
    const admin = (await here.bootstrapAdmin())!;
    expect(await there.authenticate('chk_never-issued-0000000000000000000000000000')).toBeUndefined();
    expect(await there.authenticate(`${admin.key.slice(0, -1)}${admin.key.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(await there.revoke('0000000000000000', 'admin')).toBe(false);
  });
});
