// Validates a JSON-LD data graph against the UCO/CASE SHACL shapes: every .ttl under the shapes
// folder (../shared/schemas/case) is the shapes graph, and is added to the data graph too, so that
// the ontology's rdfs:subClassOf links let sh:class and sh:targetClass see subclasses.
// rdf-validate-shacl has no SHACL-SPARQL: the shapes' sh:sparql constraints are left out of the
// shapes graph, and the UCO ones that apply to a graph like ours are checked here in plain code
// (sparqlChecks): UcoThings are not blank nodes (core:UcoThing, a violation), a facet belongs to
// one object (core:hasFacet-shape, a violation), UcoThing IRIs end with a UUID (core, info).
// Usage: node validate.mjs SHAPES_FOLDER DATA.jsonld
// Exit 0: conforms; 1: does not conform (the report on stdout); 2: could not run (stderr).
import fs from 'node:fs';
import path from 'node:path';
import rdf from '@zazuko/env';
import SHACLValidator from 'rdf-validate-shacl';
import N3 from 'n3';
import jsonld from 'jsonld';

function turtleFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...turtleFiles(p));
    else if (entry.name.endsWith('.ttl')) out.push(p);
  }
  return out;
}

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const SUBCLASS = 'http://www.w3.org/2000/01/rdf-schema#subClassOf';
const UCO_THING = 'https://ontology.unifiedcyberontology.org/uco/core/UcoThing';
const HAS_FACET = 'https://ontology.unifiedcyberontology.org/uco/core/hasFacet';
const UUID_END = /[0-9a-f]{8}-[0-9a-f]{4}-[0-5][0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The UCO constraints written in SPARQL, on the data graph with the ontology's subclass links.
function sparqlChecks(ontology, data) {
  const supers = new Map();
  for (const q of ontology) {
    if (q.predicate.value === SUBCLASS && q.object.termType === 'NamedNode') {
      if (!supers.has(q.subject.value)) supers.set(q.subject.value, []);
      supers.get(q.subject.value).push(q.object.value);
    }
  }
  const isUcoThing = (cls, seen = new Set()) => {
    if (cls === UCO_THING) return true;
    if (seen.has(cls)) return false;
    seen.add(cls);
    return (supers.get(cls) || []).some((c) => isUcoThing(c, seen));
  };
  const results = [];
  const owners = new Map();
  for (const q of data) {
    if (q.predicate.value === RDF_TYPE && isUcoThing(q.object.value)) {
      if (q.subject.termType === 'BlankNode') {
        results.push({ severity: 'Violation', focus: q.subject.value, message: 'UcoThings are required to not be blank nodes.' });
      } else if (!UUID_END.test(q.subject.value)) {
        results.push({ severity: 'Info', focus: q.subject.value, message: 'UcoThings are suggested to end with a UUID.' });
      }
    }
    if (q.predicate.value === HAS_FACET) {
      const o = owners.get(q.object.value) || new Set();
      o.add(q.subject.value);
      owners.set(q.object.value, o);
    }
  }
  for (const [facet, o] of owners) {
    if (o.size > 1) results.push({ severity: 'Violation', focus: facet, message: 'hasFacet must not be used to link two objects to one Facet.' });
  }
  return results;
}

async function main() {
  const [shapesDir, dataFile] = process.argv.slice(2);
  if (!shapesDir || !dataFile) throw new Error('usage: node validate.mjs SHAPES_FOLDER DATA.jsonld');
  const ontology = [];
  const files = turtleFiles(shapesDir);
  if (files.length === 0) throw new Error(`no .ttl files under ${shapesDir}`);
  for (const file of files) {
    ontology.push(...new N3.Parser({ baseIRI: 'file://' + file }).parse(fs.readFileSync(file, 'utf8')));
  }
  const doc = JSON.parse(fs.readFileSync(dataFile, 'utf8'));
  // The graph must be self-contained: nothing is fetched.
  const documentLoader = (url) => {
    throw new Error(`the graph refers to a remote context (${url})`);
  };
  const nquads = await jsonld.toRDF(doc, { format: 'application/n-quads', documentLoader, safe: true });
  const data = new N3.Parser({ format: 'N-Quads' }).parse(nquads);
  if (data.length === 0) throw new Error('the data graph is empty');
  const shapes = rdf.dataset(ontology.filter((q) => q.predicate.value !== 'http://www.w3.org/ns/shacl#sparql'));
  // Every file an owl:imports names is loaded already.
  const validator = new SHACLValidator(shapes, { factory: rdf, importGraph: () => rdf.dataset() });
  const report = await validator.validate(rdf.dataset([...ontology, ...data]));
  const results = report.results.map((r) => ({
    severity: r.severity ? r.severity.value.split('#').pop() : 'Violation',
    focus: r.focusNode?.value,
    path: r.path?.value,
    message: r.message.map((m) => m.value).join('; ') || r.sourceConstraintComponent?.value,
  }));
  results.push(...sparqlChecks(ontology, data));
  const violations = results.filter((r) => r.severity === 'Violation');
  for (const r of results) console.log([r.severity, r.focus, r.path, r.message].filter(Boolean).join(' | '));
  const conforms = violations.length === 0 && report.conforms;
  console.log(`${data.length} data triples, ${violations.length} violations, conforms: ${conforms}`);
  process.exit(conforms ? 0 : 1);
}

main().catch((e) => {
  console.error(`validate.mjs: ${e.message}`);
  process.exit(2);
});
