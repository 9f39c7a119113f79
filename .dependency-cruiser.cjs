// The layer rule for src/ (npm run lint:layers; test/app/layers.spec.ts).
// A file may import only its own layer, the layers below it, and the extras named here:
//
//   L0  shared (nothing)                  config -> shared
//   L1  event-store -> shared, config
//   L2  contracts/domain -> shared                                    (pure domain)
//   L3  contracts/application -> shared, event-store, domain
//   L4  projections -> shared, config, event-store                    (generic engine, knows no feature)
//       contracts/read-side -> shared, config, event-store, domain, application, projections
//       audit (not audit/http) -> shared, config, event-store, domain, application
//       auth (not auth/http) -> shared, config, event-store
//   L5  http (the platform) -> shared, config, event-store
//       <feature>/http, health, logging -> L0-L4, http, each other
//   L6  app.ts, app.module.ts, main.ts, catalog.ts, cli/ -> anything; imported by no other file
//   --  desk/ (the handover desk, browser code bundled by esbuild) -> shared, domain (dates and evidence schemas)
//   --  types/ (ambient declarations, applied through tsconfig) -> nothing; imported by no file
//
// A feature module (src/<feature>/<name>.module.ts) may import its own folder (its http/ included),
// what its feature's layer may import (those folders' modules included), and src/http if the
// feature serves HTTP. A module of a folder with no module rule (shared, http) is held to its
// folder's layer rule. Only modules and composition roots import a *.module.ts file.
// A file that no layer, module or root pattern names may import nothing in src (layer-unknown).
// Type-only imports count (tsPreCompilationDeps): a type is a dependency too.

const SHARED = '^src/shared/';
const CONFIG = '^src/config/';
const EVENT_STORE = '^src/event-store/';
const DOMAIN = '^src/contracts/domain/';
const APPLICATION = '^src/contracts/application/';
const PROJECTIONS = '^src/projections/';
const READ_SIDE = '^src/contracts/read-side/';
const AUDIT = '^src/audit/(?!http/)';
const AUTH = '^src/auth/(?!http/)';
const HTTP = '^src/http/';
const EDGE = '^src/([^/]+/http|health|logging)/';
const BELOW_EDGE = [SHARED, CONFIG, EVENT_STORE, DOMAIN, APPLICATION, PROJECTIONS, READ_SIDE, AUDIT, AUTH];
const TYPES = '^src/types/';
const DESK = '^src/desk/';

const MODULE = '^src/[^/]+/[^/]+\\.module\\.ts$';
const ROOT = '^src/(app|app\\.module|main|catalog)\\.ts$|^src/cli/';

const any = (patterns) => patterns.join('|');

// The folders whose modules have a module rule, and what each module may import besides its own folder.
const MODULES = [
  ['config', [SHARED]],
  ['event-store', [SHARED, CONFIG]],
  ['projections', [SHARED, CONFIG, EVENT_STORE]],
  ['contracts', [SHARED, CONFIG, EVENT_STORE, PROJECTIONS, HTTP]],
  ['audit', [SHARED, CONFIG, EVENT_STORE, DOMAIN, APPLICATION, HTTP]],
  ['auth', [SHARED, CONFIG, EVENT_STORE, HTTP]],
  ['health', [...BELOW_EDGE, HTTP, EDGE]],
  ['logging', [...BELOW_EDGE, HTTP, EDGE]],
];
// Modules under a module rule, exempt from their folder's layer rule; any other module is held to its layer.
const RULED_MODULE = `^src/(${MODULES.map(([folder]) => folder).join('|')})/[^/]+\\.module\\.ts$`;

/** Files matching `files` (ruled modules aside) may import, within src, only their own layer and `mayImport`. */
function layer(name, files, mayImport, comment) {
  return {
    name: `layer-${name}`,
    comment,
    severity: 'error',
    from: { path: files, pathNot: RULED_MODULE },
    to: { path: '^src/', pathNot: any([files, ...mayImport]) },
  };
}

/** The feature module(s) directly in `folder`: their own folder, `mayImport`, nothing else in src. */
function featureModule(folder, mayImport) {
  return {
    name: `module-${folder}`,
    comment: `src/${folder}'s module composes src/${folder}: it may import its own folder and ${mayImport.length ? 'what the feature may import' : 'nothing else'}.`,
    severity: 'error',
    from: { path: `^src/${folder}/[^/]+\\.module\\.ts$` },
    to: { path: '^src/', pathNot: any([`^src/${folder}/`, ...mayImport]) },
  };
}

const layers = [
  layer('shared', SHARED, [], 'L0: shared helpers depend on nothing else in src.'),
  layer('config', CONFIG, [SHARED], 'L0: configuration reads only shared helpers.'),
  layer('event-store', EVENT_STORE, [SHARED, CONFIG], 'L1: the event store knows no feature.'),
  layer('domain', DOMAIN, [SHARED], 'L2: the domain is pure: no config, no storage, no application, no HTTP.'),
  layer('application', APPLICATION, [SHARED, EVENT_STORE, DOMAIN], 'L3: the write path sees the domain and the store, not config.'),
  layer('projections', PROJECTIONS, [SHARED, CONFIG, EVENT_STORE], 'L4: the projection engine is generic: it knows no feature.'),
  layer(
    'read-side',
    READ_SIDE,
    [SHARED, CONFIG, EVENT_STORE, DOMAIN, APPLICATION, PROJECTIONS],
    'L4: contract read models sit on the domain, the write path and the projection engine.',
  ),
  layer(
    'audit',
    AUDIT,
    [SHARED, CONFIG, EVENT_STORE, DOMAIN, APPLICATION],
    'L4: audit reads the streams; its controller is in audit/http.',
  ),
  layer('auth', AUTH, [SHARED, CONFIG, EVENT_STORE], 'L4: API keys and rate limits know no feature; the guard is in auth/http.'),
  layer('http', HTTP, [SHARED, CONFIG, EVENT_STORE], 'L5: the HTTP platform is generic: it imports no feature folder.'),
  layer('edge', EDGE, [...BELOW_EDGE, HTTP], 'L5: controllers and DTOs sit on L0-L4, the HTTP platform and each other.'),
  layer(
    'desk',
    DESK,
    [SHARED, DOMAIN, '^src/contracts/read-side/views\\.ts$'],
    "The desk runs in the browser: the domain's own schemas and dates check its evidence, the views type the API's answers.",
  ),
  {
    name: 'layer-types',
    comment: 'Ambient declarations (src/types) import nothing in src.',
    severity: 'error',
    from: { path: TYPES },
    to: { path: '^src/' },
  },
];
const modules = MODULES.map(([folder, mayImport]) => featureModule(folder, mayImport));
// What the layer, module and root rules name: every other file of src is in no layer.
const NAMED = any([...[...layers, ...modules].map((rule) => rule.from.path), ROOT]);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layers,
    ...modules,
    {
      name: 'module-only-from-composition',
      comment: 'A *.module.ts is wiring: only other modules and the composition roots import it.',
      severity: 'error',
      from: { path: '^src/', pathNot: any([MODULE, ROOT]) },
      to: { path: MODULE },
    },
    {
      name: 'not-to-composition-root',
      comment: 'L6: the composition roots import everything, so nothing but another root may import them.',
      severity: 'error',
      from: { path: '^src/', pathNot: ROOT },
      to: { path: ROOT },
    },
    {
      name: 'layer-unknown',
      comment: 'A file no layer, module or root rule names imports nothing in src: give its folder a rule first.',
      severity: 'error',
      from: { path: '^src/', pathNot: NAMED },
      to: { path: '^src/' },
    },
    {
      name: 'not-to-types',
      comment: 'Ambient declarations (src/types) apply through tsconfig: no file imports them.',
      severity: 'error',
      from: { path: '^src/', pathNot: TYPES },
      to: { path: TYPES },
    },
    {
      name: 'not-to-test-or-bench',
      comment: 'Production code never imports tests, test support or benchmarks.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to no file is a typo or a missing dependency.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'no-circular',
      comment: 'No module-level cycle: each file can be read knowing only what it imports.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      comment: 'No two folders import each other, directly or round a loop (e.g. contracts/read-side and projections).',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
