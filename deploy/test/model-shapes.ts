/**
 * Strict shapes derived from the model packages' TypeScript declarations: kubernetes-models (generated
 * from the Kubernetes OpenAPI spec) and @kubernetes-models/prometheus-operator (from its CRDs). Their
 * validate() lets unknown fields through, but their interfaces list every field, with string enums
 * as literal unions: the TypeScript compiler reads them offline, and this turns each kind's
 * interface into a Shape. (KEDA's model lags its CRD: KEDA kinds use crd-fields.ts.)
 */
import path from 'node:path';
import ts from 'typescript';
import { OneOf, type Shape } from './strict-shapes';

/** `apiVersion/kind` → [module, interface] of its model. */
export const MODEL_TYPES: Record<string, [string, string]> = {
  'v1/Namespace': ['kubernetes-models/v1/Namespace', 'INamespace'],
  'v1/ServiceAccount': ['kubernetes-models/v1/ServiceAccount', 'IServiceAccount'],
  'v1/ConfigMap': ['kubernetes-models/v1/ConfigMap', 'IConfigMap'],
  'v1/Secret': ['kubernetes-models/v1/Secret', 'ISecret'],
  'v1/Service': ['kubernetes-models/v1/Service', 'IService'],
  'apps/v1/Deployment': ['kubernetes-models/apps/v1/Deployment', 'IDeployment'],
  'apps/v1/StatefulSet': ['kubernetes-models/apps/v1/StatefulSet', 'IStatefulSet'],
  'policy/v1/PodDisruptionBudget': ['kubernetes-models/policy/v1/PodDisruptionBudget', 'IPodDisruptionBudget'],
  'networking.k8s.io/v1/NetworkPolicy': ['kubernetes-models/networking.k8s.io/v1/NetworkPolicy', 'INetworkPolicy'],
  'rbac.authorization.k8s.io/v1/Role': ['kubernetes-models/rbac.authorization.k8s.io/v1/Role', 'IRole'],
  'rbac.authorization.k8s.io/v1/RoleBinding': [
    'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding',
    'IRoleBinding',
  ],
  'monitoring.coreos.com/v1/PodMonitor': [
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor',
    'IPodMonitor',
  ],
  'monitoring.coreos.com/v1/PrometheusRule': [
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule',
    'IPrometheusRule',
  ],
};

const SCALAR = ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike;

/** The Shape of each kind in MODEL_TYPES (a few seconds: the compiler reads the declarations). */
export function modelShapes(root: string): Record<string, Shape> {
  const kinds = Object.keys(MODEL_TYPES);
  // A source file that exists only in memory, in deploy/test so that node_modules resolves from there.
  const file = path.join(root, 'deploy', 'test', '__model-types__.ts');
  const text = kinds
    .map((kind, i) => `import type { ${MODEL_TYPES[kind][1]} as T${i} } from '${MODEL_TYPES[kind][0]}';`)
    .concat(kinds.map((_, i) => `export type K${i} = T${i};`))
    .join('\n');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, text, language) : readFile(name, language, ...rest);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const problems = ts.getPreEmitDiagnostics(program, program.getSourceFile(file));
  if (problems.length > 0) {
    throw new Error(problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  }
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const shapes = new Map<ts.Type, Shape>();

  function shapeOf(type: ts.Type): Shape {
    type = checker.getNonNullableType(type);
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'any';
    if (type.isUnion()) {
      if (type.types.every((member) => member.isStringLiteral()))
        return new OneOf(type.types.map((member) => (member as ts.StringLiteralType).value));
      const objects = type.types.filter((member) => !(member.flags & SCALAR));
      if (objects.length === 0) return 'leaf'; // boolean, int-or-string, quantity
      if (objects.length === 1) return shapeOf(objects[0]);
      throw new Error(`no shape for the union ${checker.typeToString(type)}`);
    }
    if (type.flags & SCALAR) return 'leaf';
    if (checker.isArrayType(type)) return [shapeOf(checker.getTypeArguments(type as ts.TypeReference)[0])];
    if (type.flags & ts.TypeFlags.Object) {
      const properties = checker.getPropertiesOfType(type);
      if (properties.length === 0) return checker.getIndexInfosOfType(type).length > 0 ? 'map' : 'any';
      const known = shapes.get(type);
      if (known) return known;
      const shape: { [key: string]: Shape } = {};
      shapes.set(type, shape); // before the fields: recursive types refer to themselves
      for (const property of properties)
        shape[property.name] = shapeOf(checker.getTypeOfSymbolAtLocation(property, source));
      return shape;
    }
    throw new Error(`no shape for ${checker.typeToString(type)}`);
  }

  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!);
  return Object.fromEntries(
    kinds.map((kind, i) => {
      const alias = exported.find((symbol) => symbol.name === `K${i}`)!;
      return [kind, shapeOf(checker.getDeclaredTypeOfSymbol(alias))];
    }),
  );
}
