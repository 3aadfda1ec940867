// Where weight tensors go: inline in the .onnx file, or streamed to an external data file as they
// are produced so a 1.7 GB model never sits in memory.
import { closeSync, openSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { basename } from 'node:path';
import type { DataTypeCode, TensorProto } from './onnxModel';

export interface TensorStore {
  add(name: string, dataType: DataTypeCode, dims: number[], data: ArrayBufferView): TensorProto;
  /** Bytes of weight data written so far. */
  readonly size: number;
  close(): void;
}

function bytesOf(data: ArrayBufferView): Uint8Array {
  if (endianness() !== 'LE') throw new Error('The model generator writes little-endian tensors and needs a little-endian machine.');
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export class InlineTensorStore implements TensorStore {
  size = 0;

  add(name: string, dataType: DataTypeCode, dims: number[], data: ArrayBufferView): TensorProto {
    this.size += data.byteLength;
    return { name, dataType, dims, rawData: bytesOf(data).slice() };
  }

  close(): void {}
}

/** Page-aligns large tensors (as onnx's own writer does) so onnxruntime can memory-map them. */
const PAGE = 4096;
const SMALL_ALIGN = 64;

export class ExternalTensorStore implements TensorStore {
  size = 0;
  private readonly fd: number;
  private readonly location: string;

  constructor(dataPath: string) {
    this.fd = openSync(dataPath, 'w');
    this.location = basename(dataPath);
  }

  add(name: string, dataType: DataTypeCode, dims: number[], data: ArrayBufferView): TensorProto {
    const align = data.byteLength >= 1 << 20 ? PAGE : SMALL_ALIGN;
    const offset = Math.ceil(this.size / align) * align;
    const bytes = bytesOf(data);
    let written = 0;
    while (written < bytes.length) {
      written += writeSync(this.fd, bytes, written, bytes.length - written, offset + written);
    }
    this.size = offset + bytes.length;
    return { name, dataType, dims, external: { location: this.location, offset, length: bytes.length } };
  }

  close(): void {
    closeSync(this.fd);
  }
}
