// Builds an ONNX graph node by node with unique value names and shared constants.
import { DataType, type AttributeValue, type DataTypeCode, type GraphProto, type NodeProto, type TensorProto, type ValueInfo } from './onnxModel';

export const attr = {
  int: (value: number): AttributeValue => ({ kind: 'int', value }),
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
  ints: (value: number[]): AttributeValue => ({ kind: 'ints', value }),
  string: (value: string): AttributeValue => ({ kind: 'string', value }),
  tensor: (value: TensorProto): AttributeValue => ({ kind: 'tensor', value }),
};

export interface OpOptions {
  domain?: string;
  /** Names for the outputs; default: one generated name. */
  outputs?: string[];
  /** Readable prefix for generated names, e.g. "layers.0.attn". */
  scope?: string;
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly inputs: ValueInfo[] = [];
  readonly outputs: ValueInfo[] = [];
  private readonly constants = new Map<string, string>();
  private counter = 0;

  input(name: string, elemType: DataTypeCode, shape?: (number | string)[]): string {
    this.inputs.push({ name, elemType, shape });
    return name;
  }

  output(name: string, elemType: DataTypeCode, shape?: (number | string)[]): void {
    this.outputs.push({ name, elemType, shape });
  }

  initializer(t: TensorProto): string {
    this.initializers.push(t);
    return t.name;
  }

  /** Adds a node and returns its output names. */
  opN(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, options: OpOptions = {}): string[] {
    const id = this.counter++;
    const base = `${options.scope ? options.scope + '/' : ''}${opType}_${id}`;
    const outputs = options.outputs ?? [`${base}_out`];
    this.nodes.push({ name: base, opType, domain: options.domain ?? '', inputs, outputs, attributes });
    return outputs;
  }

  op(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, options: OpOptions = {}): string {
    return this.opN(opType, inputs, attributes, options)[0];
  }

  /** A small constant stored inline as an initializer; identical constants are shared. */
  constInt64(values: number[], dims: number[] = [values.length]): string {
    const key = `i64:${dims.join('x')}:${values.join(',')}`;
    return this.constant(key, DataType.INT64, dims, BigInt64Array.from(values.map((v) => BigInt(v))));
  }

  constFloat(values: number[], dims: number[] = [values.length]): string {
    const key = `f32:${dims.join('x')}:${values.join(',')}`;
    return this.constant(key, DataType.FLOAT, dims, Float32Array.from(values));
  }

  private constant(key: string, dataType: DataTypeCode, dims: number[], data: ArrayBufferView): string {
    const existing = this.constants.get(key);
    if (existing) return existing;
    const name = `const_${this.constants.size}`;
    const rawData = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    this.initializers.push({ name, dataType, dims, rawData });
    this.constants.set(key, name);
    return name;
  }

  build(name: string): GraphProto {
    return { name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs };
  }
}
