/** What bench/engine/deviceChild.ts measures on one device. */
export interface DeviceResult {
  device: string;
  adapter: string;
  dtype: string;
  kvLayout: string;
  /** Devices skipped before this one, with their reasons. */
  skipped: string[];
  /** One position's float32 logits. */
  logitsBytes: number;
  /**
   * Per decoded token: bytes to the device and back, all told (the engine's feeds and fetches that
   * are in host memory, plus onnxruntime's Memcpy nodes inside the run), and of those, the Memcpy nodes'.
   */
  contexts: { context: number; toDevice: number; toHost: number; bytesPerToken: number; tokensPerSecond: number; insideRuns: { toDevice: number; toHost: number } }[];
}
