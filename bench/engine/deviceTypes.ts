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
  contexts: { context: number; toDevice: number; toHost: number; bytesPerToken: number; tokensPerSecond: number }[];
}
