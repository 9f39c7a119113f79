import { loadConfig } from '../config/app-config';
import { ROLES, type Role } from '../shared/identity';
import { createEventStore } from '../event-store/event-store.module';
import { STREAM_SCHEMAS } from '../catalog';
import { ApiKeys, KeyRequestError } from '../auth/api-keys';

const USAGE = `Usage: npm run keys -- <command>
  create --role <${ROLES.join('|')}> [--party <partyId>] --label <text>
                        issue a key (shown this once); brand and operator keys need --party
  list                  every key: id, role, party, label, issued, revoked
  revoke <keyId>        revoke a key, at once`;

/** Key management from the command line, on the configured event store (same code as the admin API). */
async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const option = (name: string) => {
    const index = rest.indexOf(name);
    return index >= 0 ? rest[index + 1] : undefined;
  };
  if (!['create', 'list', 'revoke'].includes(command ?? '')) {
    console.error(USAGE);
    return 2;
  }
  const store = createEventStore(loadConfig(process.env), STREAM_SCHEMAS);
  const keys = new ApiKeys(store);
  try {
    if (command === 'list') {
      for (const key of await keys.list()) {
        console.log(
          [
            key.keyId,
            key.role.padEnd(11),
            (key.partyId ?? '-').padEnd(20),
            key.issuedAt,
            key.revokedAt ? `revoked ${key.revokedAt}` : 'active',
            key.label,
          ].join('  '),
        );
      }
      return 0;
    }
    if (command === 'revoke') {
      const keyId = rest[0];
      if (!keyId || !(await keys.revoke(keyId, 'command line'))) {
        console.error(`No key ${keyId ?? ''}.`);
        return 1;
      }
      console.log(`Revoked ${keyId}.`);
      return 0;
    }
    const role = option('--role') as Role | undefined;
    const label = option('--label');
    if (!role || !ROLES.includes(role) || !label) {
      console.error(USAGE);
      return 2;
    }
    const partyId = option('--party');
    const issued = await keys.issue({ role, ...(partyId ? { partyId } : {}), label }, 'command line');
    console.log(
      `Created ${issued.role} key ${issued.keyId}${issued.partyId ? ` for ${issued.partyId}` : ''}. It is shown this once:\n\n    ${issued.key}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof KeyRequestError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
