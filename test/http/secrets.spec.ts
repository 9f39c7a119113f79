import { findSecret } from '../../src/http/no-secrets.pipe';

describe('what looks like a secret', () => {
  it.each([
    [{ evidence: { password: 'x' } }, 'evidence.password'],
    [{ evidence: { newPassword: 'x' } }, 'evidence.newPassword'],
    [{ apiKey: 'x' }, 'apiKey'],
    [{ pin: '1234' }, 'pin'],
    [{ description: 'the password is Feiyue@2028!' }, 'description'],
    [{ description: 'login with pwd=hunter2 please' }, 'description'],
    [{ note: '新密码：Feiyue2028' }, 'note'],
    [{ evidenceRef: '-----BEGIN RSA PRIVATE KEY-----\nMIIE' }, 'evidenceRef'],
    [{ accounts: ['ok', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'] }, 'accounts.1'],
    [{ label: 'chk_4q9r2n1XbX0kE3oXzfl7Q0Yk2lqzNnV3n0x7bqzkP1w' }, 'label'],
  ])('refuses %j at %s', (body, field) => {
    expect(findSecret(body)).toBe(field);
  });

  it.each([
    { documentRef: 'SA-2028-01 (own warehouse logistics)', effectiveOn: '2028-01-01' },
    { evidence: { kind: 'credential_handover', rotatedBy: 'op-yunshang:li.na', receivedBy: 'Zhang Wei', rotatedAt: '2028-04-02T10:00:00+08:00' } },
    { accountName: 'feiyue旗舰店:cs01', breachId: '9b2f6c1e-4a7d-4c55-9a63-3f1f2b8f1d2e', evidenceRef: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
    { description: 'Orders of 8-12 March not shipped; the courier token system was down' },
  ])('lets %j through', (body) => {
    expect(findSecret(body)).toBeUndefined();
  });
});
