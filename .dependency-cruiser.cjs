/**
 * The architecture, checked by `npm run lint` (README: Architecture). A ticket goes down the
 * layers once: input (files to typed tickets) → engine (evaluation, aggregates) → report (text);
 * commands and cli sit on top, output holds the edge's file writing. time and text (telling an
 * encoding from bytes) are at the bottom with calendar, config and the shared model. sql compiles
 * a config (and calendars) to SQL text; duckdb is another input stage: it runs that SQL on the
 * files and hands the engine the same typed tickets, with their metrics computed.
 */
const LOWER = '^src/(time|text|calendar|config|model)/';
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no import cycles', from: {}, to: { circular: true } },
    {
      name: 'lower-layers-stay-low',
      comment: 'time, text, calendar, config and the shared model import nothing above them',
      severity: 'error',
      from: { path: LOWER },
      to: { path: '^src/(input|engine|report|output|store|commands|sql|duckdb|api\\.ts|index\\.ts|cli\\.ts|engines\\.ts)' },
    },
    {
      name: 'sql-from-config',
      comment: 'the SQL compiler turns a config and its calendars into text: it reads no input and knows no engine, report or CLI',
      severity: 'error',
      from: { path: '^src/sql/' },
      to: { path: '^src/(input|engine|report|output|store|commands|duckdb|api\\.ts|index\\.ts|cli\\.ts|engines\\.ts)' },
    },
    {
      name: 'duckdb-is-an-input-stage',
      comment: 'the DuckDB engine reads files into the typed tickets the engine consumes (with their metrics, typed by engine/result.ts); it renders nothing and reaches no command',
      severity: 'error',
      from: { path: '^src/duckdb/' },
      to: { path: '^src/(engine/(?!result\\.ts$)|report|output|commands|api\\.ts|index\\.ts|cli\\.ts)' },
    },
    {
      name: 'input-then-engine',
      comment: 'the input stage hands typed tickets on; it knows nothing of evaluation, reports or the CLI',
      severity: 'error',
      from: { path: '^src/input/' },
      to: { path: '^src/(engine|report|output|commands|sql|duckdb|api\\.ts|index\\.ts|cli\\.ts|engines\\.ts)' },
    },
    {
      name: 'engine-reads-no-file',
      comment: 'the engine consumes a stream of tickets: it never opens a file nor imports a module that does (at any depth)',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { reachable: true, path: '^src/(input|store|output|commands|sql|duckdb)/|^src/config/load\\.ts$|^src/(api|index|cli|engines)\\.ts$|^(node:)?(fs|fs/promises|worker_threads|child_process|readline)$' },
    },
    {
      name: 'engine-before-report',
      comment: 'the engine produces results; reports import them, never the other way',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/report/' },
    },
    {
      name: 'engine-stays-pure',
      comment: 'no file system, threads or processes from the engine (checked on the module names too)',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?(path|util|events|stream)$' },
    },
    {
      name: 'report-from-results',
      comment: 'reports render results; they never read input, write files or reach the CLI',
      severity: 'error',
      from: { path: '^src/report/' },
      to: { path: '^src/(input|store|output|commands|sql|duckdb|api\\.ts|index\\.ts|cli\\.ts|engines\\.ts)' },
    },
    {
      name: 'output-below-commands',
      severity: 'error',
      from: { path: '^src/(output|store)/' },
      to: { path: '^src/(commands|api\\.ts|index\\.ts|cli\\.ts)' },
    },
    {
      name: 'only-cli-reaches-cli',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli\\.ts$' },
      to: { path: '^src/cli\\.ts$' },
    },
    {
      name: 'terminal-styling-in-reports',
      comment: 'only reports import chalk and cli-table3',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/report/' },
      to: { path: 'node_modules/(chalk|cli-table3)/' },
    },
    {
      name: 'parallel-on-top',
      comment: 'the engine per byte range (src/parallel) runs the input stage and the engine on worker threads; only the API reaches it',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(parallel/|api\\.ts$)' },
      to: { path: '^src/parallel/' },
    },
    { name: 'not-to-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^dist/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], mainFields: ['module', 'main', 'types'] },
  },
};
