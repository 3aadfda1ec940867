// Trims a device-resident KV cache to its first n positions without bringing it to the host: a
// one-node-per-tensor Slice graph (written here, a few hundred bytes) run on the same device, its
// outputs kept there. Cost per trim: one device-side copy of the kept rows of every layer (at a
// 2000-token prefix of a Qwen2.5-0.5B-shaped cache, 24 MB float32 moved within device memory) and
// one small run; nothing crosses to the host but the length. A follow-up turn that extends the
// cached conversation exactly needs no trim at all.
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { KvDataType } from './kvCache';
import { ONNX, concat, lengthDelimited, stringField, varintField } from './onnxProtobuf';

/** ONNX TensorProto data types. */
const ELEM_TYPE: Record<KvDataType | 'int64', number> = { float32: 1, float16: 10, int64: 7 };
const MODEL_IR_VERSION = 1;
const IR_VERSION = 8;
const SLICE_OPSET = 13;
const LENGTH_INPUT = 'length';

/** A model whose outputs out_i are inputs in_i ([b, h, seq, d]) cut to the first `length` positions. */
export function kvSliceModel(count: number, type: KvDataType): Uint8Array {
  const valueInfo = (field: number, name: string, elemType: number): Uint8Array[] =>
    lengthDelimited(field, [
      ...stringField(ONNX.valueInfo.name, name),
      ...lengthDelimited(ONNX.valueInfo.type, lengthDelimited(ONNX.type.tensor, varintField(ONNX.tensorType.elemType, elemType))),
    ]);
  const int64Initializer = (name: string, value: number): Uint8Array[] => {
    const raw = new Uint8Array(8);
    new DataView(raw.buffer).setBigInt64(0, BigInt(value), true);
    return lengthDelimited(ONNX.graph.initializer, [
      ...varintField(ONNX.tensor.dims, 1),
      ...varintField(ONNX.tensor.dataType, ELEM_TYPE.int64),
      ...stringField(ONNX.tensor.name, name),
      ...lengthDelimited(ONNX.tensor.rawData, [raw]),
    ]);
  };
  const graph: Uint8Array[] = [...int64Initializer('zero', 0), ...int64Initializer('sequence_axis', 2), ...valueInfo(ONNX.graph.input, LENGTH_INPUT, ELEM_TYPE.int64)];
  for (let i = 0; i < count; i++) {
    graph.push(
      ...lengthDelimited(ONNX.graph.node, [
        ...[`in_${i}`, 'zero', LENGTH_INPUT, 'sequence_axis'].flatMap((name) => stringField(ONNX.node.input, name)),
        ...stringField(ONNX.node.output, `out_${i}`),
        ...stringField(ONNX.node.name, `slice_${i}`),
        ...stringField(ONNX.node.opType, 'Slice'),
      ]),
      ...valueInfo(ONNX.graph.input, `in_${i}`, ELEM_TYPE[type]),
      ...valueInfo(ONNX.graph.output, `out_${i}`, ELEM_TYPE[type]),
    );
  }
  const opset = lengthDelimited(ONNX.model.opsetImport, [...stringField(ONNX.opset.domain, ''), ...varintField(ONNX.opset.version, SLICE_OPSET)]);
  return concat([...varintField(MODEL_IR_VERSION, IR_VERSION), ...opset, ...lengthDelimited(ONNX.model.graph, graph)]);
}

/** Slices device tensors on the device that produced them; the session is made on first use. */
export class DeviceKvTrimmer {
  private session: Promise<InferenceSession> | undefined;

  constructor(
    private readonly executionProvider: string,
    private readonly count: number,
    private readonly type: KvDataType,
  ) {}

  /** The first `length` positions of each tensor, as new device tensors (the inputs stay valid). */
  async trim(tensors: readonly Tensor[], length: number): Promise<Tensor[]> {
    if (tensors.length !== this.count) throw new RangeError(`the trimmer slices ${this.count} tensors, not ${tensors.length}`);
    this.session ??= InferenceSession.create(kvSliceModel(this.count, this.type), {
      executionProviders: [this.executionProvider],
      preferredOutputLocation: 'gpu-buffer',
      logSeverityLevel: 3,
    });
    const session = await this.session;
    const feeds: Record<string, Tensor> = { [LENGTH_INPUT]: new Tensor('int64', BigInt64Array.from([BigInt(length)]), [1]) };
    tensors.forEach((tensor, i) => (feeds[`in_${i}`] = tensor));
    const out = await session.run(feeds);
    return tensors.map((_, i) => out[`out_${i}`] as Tensor);
  }

  async release(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await (await session?.catch(() => undefined))?.release();
  }
}
