// Prints the field list of a CRD's served version, for crd-fields.ts:
//   node deploy/test/list-crd-fields.cjs keda.sh_scaledobjects.yaml
// One line per leaf under spec: `a.b[].c` (`[]` a list item, `{}` a free map or preserved unknown
// fields), then ` = x|y` when the field is a string enum.
const { readFileSync } = require('node:fs');
const { parse } = require('yaml');

const crd = parse(readFileSync(process.argv[2], 'utf8'));
const version = crd.spec.versions.find((v) => v.served && v.storage) ?? crd.spec.versions[0];
const lines = [];
function walk(schema, at) {
  if (schema.type === 'array') return walk(schema.items, `${at}[]`);
  if (schema.properties) {
    for (const [key, child] of Object.entries(schema.properties)) walk(child, at ? `${at}.${key}` : key);
    return;
  }
  if (schema.type === 'object' || schema['x-kubernetes-preserve-unknown-fields']) return lines.push(`${at}{}`);
  lines.push(schema.enum ? `${at} = ${schema.enum.join('|')}` : at);
}
walk(version.schema.openAPIV3Schema.properties.spec, '');
console.log(lines.sort().join('\n'));
