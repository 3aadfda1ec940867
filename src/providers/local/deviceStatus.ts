// What the status line says about the local engine's device: which one runs, its GPU adapter and
// weight variant, and (in the tooltip) why the devices before it were skipped or given up.
import type { LoadedModelInfo } from '../../protocol/engine';

export interface DeviceStatus {
  /** The device id, e.g. "webgpu" or "cpu". */
  device: string;
  /** e.g. "SwiftShader (software) / Vulkan, fp32", or "q4, webgpu unavailable" after a fallback. */
  deviceDetail: string;
  deviceNote?: string;
}

export function deviceStatus(model: LoadedModelInfo): DeviceStatus {
  const requested = model.requestedDevice;
  const fellBack = requested !== 'auto' && requested !== model.device ? `${requested} unavailable` : '';
  const gaveUp = model.skippedDevices.filter((s) => s.reason.endsWith('(failed mid-answer)')).map((s) => `${s.device} failed`);
  const deviceDetail = [model.adapter, model.dtype, fellBack, ...gaveUp].filter(Boolean).join(', ');
  const skipped = model.skippedDevices.map((s) => `${s.device}: ${s.reason}`).join('; ');
  const int4 = model.int4Compute === 'model' ? '' : `, int4 weights multiplied in ${model.int4Compute}`;
  const threads = model.device === 'cpu' ? `${model.threads} CPU threads${model.threadSpinning ? ' (spinning)' : ''}${int4}` : '';
  const deviceNote = [threads, skipped ? `Skipped ${skipped}` : ''].filter(Boolean).join('. ');
  return { device: model.device, deviceDetail, ...(deviceNote ? { deviceNote } : {}) };
}
