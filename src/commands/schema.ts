import { Command } from 'commander';
import { configJsonSchema } from '../config/schema.js';

export function schemaCommand(): Command {
  return new Command('schema')
    .description('print the JSON Schema of the config (for editor autocompletion)')
    .addHelpText('after', `
Example (VS Code with the YAML extension):
  $ sla-audit schema > sla-audit.schema.json
  then put "# yaml-language-server: $schema=./sla-audit.schema.json" at the top of sla.yaml`)
    .action(() => {
      const schema = { title: 'sla-audit config', ...(configJsonSchema() as object) };
      process.stdout.write(JSON.stringify(schema, null, 2) + '\n');
    });
}
