import { Command } from 'commander';
import type { CliCommand } from './options.js';

export function schemaCommand(): CliCommand {
  const command = new Command('schema')
    .description('print the JSON Schema of the config (for editor autocompletion)')
    .addHelpText('after', `
Example (VS Code with the YAML extension):
  $ sla-audit schema > sla-audit.schema.json
  then put "# yaml-language-server: $schema=./sla-audit.schema.json" at the top of sla.yaml`);
  return { command, run: runSchema };
}

async function runSchema(): Promise<number> {
  const { configJsonSchema } = await import('../config/zod-schema.js');
  const schema = { title: 'sla-audit config', ...(configJsonSchema() as object) };
  process.stdout.write(JSON.stringify(schema, null, 2) + '\n');
  return 0;
}
