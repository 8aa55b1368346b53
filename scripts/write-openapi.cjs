// Writes docs/openapi.json from the built backend: the same document /v1/openapi.json serves.
// A test checks that the committed file is current.
const { writeFileSync } = require('node:fs');
const path = require('node:path');
const { buildOpenApiDocument } = require('../backend/dist/api/openapi');

const target = path.join(__dirname, '..', 'docs', 'openapi.json');
writeFileSync(target, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), target)}`);
