import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/**
 * The layer rule (.dependency-cruiser.cjs, npm run lint:layers) holds on src,
 * and every one of its rules can fail: a fixture tree with the same layout
 * breaks each of them at least once.
 */
const root = join(__dirname, '../..');
const config = join(root, '.dependency-cruiser.cjs');
const cli = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  type: string;
  from: string;
  to: string;
  rule: { name: string; severity: string };
  cycle?: { name: string }[];
}
interface Report {
  modules: { source: string }[];
  summary: { violations: Violation[]; totalCruised: number; ruleSetUsed: { forbidden: { name: string }[] } };
}

function cruise(cwd: string): Report {
  const run = spawnSync(process.execPath, [cli, 'src', '--config', config, '--output-type', 'json'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.stdout === '') throw new Error(`dependency-cruiser wrote nothing: ${run.stderr}`);
  return JSON.parse(run.stdout) as Report;
}

const show = (violations: Violation[]) =>
  violations.map(
    (v) => `${v.rule.name}: ${v.from} -> ${v.to}` + (v.cycle ? ` (cycle: ${[v.from, ...v.cycle.map((c) => c.name)].join(' -> ')})` : ''),
  );

describe('the layer rule', () => {
  it('holds on src', () => {
    const report = cruise(root);
    expect(show(report.summary.violations)).toEqual([]);
    // Not vacuously: every file of src was cruised.
    const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => `src/${file.split('\\').join('/')}`)
      .sort();
    expect(files.length).toBeGreaterThan(0);
    expect(report.summary.totalCruised).toBeGreaterThanOrEqual(files.length);
    expect(report.modules.map((m) => m.source).filter((source) => source.startsWith('src/'))).toEqual(expect.arrayContaining(files));
  });

  describe('on a fixture tree that breaks every rule', () => {
    // [rule, importing file, imported file (or an unresolvable specifier)].
    // Imported files import nothing: the only module cycle is ping <-> pong.
    const broken: [string, string, string][] = [
      ['layer-shared', 'src/shared/a.ts', 'src/contracts/domain/leaf.ts'],
      ['layer-config', 'src/config/a.ts', 'src/event-store/leaf.ts'],
      ['layer-event-store', 'src/event-store/a.ts', 'src/contracts/application/leaf.ts'],
      ['layer-domain', 'src/contracts/domain/a.ts', 'src/config/leaf.ts'],
      ['layer-application', 'src/contracts/application/a.ts', 'src/config/leaf.ts'],
      ['layer-projections', 'src/projections/a.ts', 'src/contracts/read-side/leaf.ts'],
      ['layer-read-side', 'src/contracts/read-side/a.ts', 'src/audit/leaf.ts'],
      ['layer-audit', 'src/audit/a.ts', 'src/auth/leaf.ts'],
      ['layer-auth', 'src/auth/a.ts', 'src/contracts/domain/leaf.ts'],
      ['layer-http', 'src/http/a.ts', 'src/contracts/http/leaf.ts'],
      ['layer-edge', 'src/contracts/http/a.ts', 'src/billing/leaf.ts'],
      // A module of a folder with no module rule is held to its folder's layer.
      ['layer-shared', 'src/shared/s.module.ts', 'src/contracts/http/leaf.ts'],
      ['layer-http', 'src/http/x.module.ts', 'src/contracts/http/leaf.ts'],
      ['layer-desk', 'src/desk/a.ts', 'src/contracts/read-side/leaf.ts'],
      ['layer-types', 'src/types/a.d.ts', 'src/shared/leaf.ts'],
      ['module-config', 'src/config/app-config.module.ts', 'src/event-store/leaf.ts'],
      ['module-event-store', 'src/event-store/event-store.module.ts', 'src/http/leaf.ts'],
      ['module-projections', 'src/projections/projections.module.ts', 'src/contracts/read-side/leaf.ts'],
      ['module-contracts', 'src/contracts/contracts.module.ts', 'src/audit/audit.module.ts'],
      ['module-audit', 'src/audit/audit.module.ts', 'src/auth/http/leaf.ts'],
      ['module-auth', 'src/auth/auth.module.ts', 'src/contracts/domain/leaf.ts'],
      ['module-health', 'src/health/health.module.ts', 'src/billing/leaf.ts'],
      ['module-logging', 'src/logging/logging.module.ts', 'src/billing/leaf.ts'],
      ['module-only-from-composition', 'src/health/a.ts', 'src/auth/auth.module.ts'],
      ['not-to-composition-root', 'src/auth/http/a.ts', 'src/catalog.ts'],
      ['layer-unknown', 'src/billing/a.ts', 'src/shared/leaf.ts'],
      // Only contracts' ruled folders and its module are named: not a loose file, not a new folder.
      ['layer-unknown', 'src/contracts/x.ts', 'src/contracts/http/leaf.ts'],
      ['layer-unknown', 'src/contracts/misc/x.ts', 'src/contracts/http/leaf.ts'],
      ['not-to-types', 'src/cli/b.ts', 'src/types/leaf.d.ts'],
      ['not-to-test-or-bench', 'src/shared/b.ts', 'test/support/leaf.ts'],
      ['not-to-unresolvable', 'src/shared/c.ts', './missing'],
      ['no-circular', 'src/shared/ping.ts', 'src/shared/pong.ts'], // pong imports ping: a cycle is reported once
      // With layer-projections above, a folder cycle and no module cycle: read-side -> projections -> read-side.
      ['no-folder-cycle', 'src/contracts/read-side/b.ts', 'src/projections/leaf.ts'],
    ];
    // Imports the rule allows, which must not be reported.
    const allowed: [string, string][] = [
      ['src/shared/pong.ts', 'src/shared/ping.ts'],
      ['src/contracts/http/b.ts', 'src/auth/http/leaf.ts'],
      ['src/contracts/http/b.ts', 'src/projections/leaf.ts'],
      ['src/contracts/contracts.module.ts', 'src/contracts/http/leaf.ts'],
      ['src/contracts/contracts.module.ts', 'src/projections/projections.module.ts'],
      ['src/audit/b.ts', 'src/contracts/application/leaf.ts'],
      ['src/main.ts', 'src/app.ts'],
      ['src/desk/b.ts', 'src/contracts/domain/leaf.ts'],
      ['src/http/x.module.ts', 'src/shared/s.module.ts'],
      ['src/cli/a.ts', 'src/catalog.ts'],
    ];

    let fixture: string;
    let report: Report;
    beforeAll(() => {
      fixture = mkdtempSync(join(tmpdir(), 'layers-'));
      copyFileSync(join(root, 'tsconfig.json'), join(fixture, 'tsconfig.json'));
      const files = new Map<string, string[]>();
      for (const [from, to] of [...broken.map(([, from, to]) => [from, to]), ...allowed]) {
        files.set(from, [...(files.get(from) ?? []), to]);
        if (!files.has(to) && !to.startsWith('./')) files.set(to, []);
      }
      for (const [file, imports] of files) {
        const specifier = (to: string) => {
          if (to.startsWith('./')) return to;
          const path = relative(dirname(file), to).replace(/\.ts$/, '');
          return path.startsWith('.') ? path : `./${path}`;
        };
        const text = imports.map((to) => `import '${specifier(to)}';\n`).join('') + 'export {};\n';
        mkdirSync(join(fixture, dirname(file)), { recursive: true });
        writeFileSync(join(fixture, file), text);
      }
      report = cruise(fixture);
    });
    afterAll(() => rmSync(fixture, { recursive: true, force: true }));

    it.each(broken.filter(([rule]) => rule !== 'no-folder-cycle'))('reports %s: %s -> %s', (rule, from, to) => {
      expect(report.summary.violations).toContainEqual(
        expect.objectContaining({ rule: expect.objectContaining({ name: rule }), from, to }),
      );
    });

    it('reports the folder cycle between contracts/read-side and projections', () => {
      const folderCycles = report.summary.violations.filter((v) => v.rule.name === 'no-folder-cycle');
      expect(folderCycles).toContainEqual(expect.objectContaining({ from: 'src/contracts/read-side', to: 'src/projections' }));
    });

    it('breaks every rule of the configuration', () => {
      const configured = report.summary.ruleSetUsed.forbidden.map((rule) => rule.name);
      expect(new Set(configured)).toEqual(new Set(broken.map(([rule]) => rule)));
    });

    it('reports none of the allowed imports', () => {
      const reported = new Set(report.summary.violations.filter((v) => v.type === 'dependency').map((v) => `${v.from} -> ${v.to}`));
      for (const [from, to] of allowed) expect(reported).not.toContain(`${from} -> ${to}`);
    });
  });
});
