/** Source text of a large hcTable schema, for benchmarks. */
const BUILDERS = [
  (i: number) => `sfText('Text_${i}__c')`,
  (i: number) => `sfNumber('Number_${i}__c')`,
  (i: number) => `sfDateTime('DateTime_${i}__c')`,
  (i: number) => `sfCheckbox('Checkbox_${i}__c')`,
  (i: number) => `sfPicklist('Picklist_${i}__c', { values: ['One', 'Two', 'Three'] })`,
  (i: number) => `sfEmail('Email_${i}__c', { index: true })`,
  (i: number) => `sfLookup('Lookup_${i}__c')`,
  (i: number) => `sfTextAreaLong('Notes_${i}__c')`,
];

/** A module defining `objects` hcTables of `fields` fields each, importing hc-drizzle from `coreImport`. */
export function generatedSchemaSource(coreImport: string, objects: number, fields: number): string {
  const lines = [
    `import { READ_WRITE, hcTable, sfCheckbox, sfDateTime, sfEmail, sfExternalId, sfLookup, sfNumber, sfPicklist, sfText, sfTextAreaLong } from ${JSON.stringify(coreImport)};`,
  ];
  for (let o = 0; o < objects; o++) {
    const columns = [`externalId: sfExternalId('External_Id__c')`];
    for (let f = 1; f < fields; f++) columns.push(`f${f}: ${BUILDERS[f % BUILDERS.length]!(f)}`);
    lines.push(`export const object${o} = hcTable('Object_${o}__c', { ${columns.join(', ')} }, { access: READ_WRITE });`);
  }
  return `${lines.join('\n')}\n`;
}
