// Sorts what the engine host writes to stderr: native libraries print probes and warnings there on
// every start (onnxruntime looking for provider libraries it does not ship, Dawn finding no Vulkan,
// no XDG runtime folder) that say nothing is wrong. Those go to trace; anything else stays a warning.
export type EngineOutputLevel = 'trace' | 'warn';

export interface EngineOutputLine {
  level: EngineOutputLevel;
  text: string;
}

const NOISE: RegExp[] = [
  // onnxruntime's own warnings and info lines ([W:onnxruntime:...], [I:...], [V:...]).
  /^\s*(?:\d{4}-\d\d-\d\d [\d:.]+ )?\[[WIV]:onnxruntime:/,
  // Its probe for execution-provider libraries this build does not have (logged as [E:...]).
  /onnxruntime.*(?:Failed to load library|LoadLibrary|dlopen|provider_bridge|libonnxruntime_providers_)/i,
  /libonnxruntime_providers_\w+\.so/,
  // Dawn (onnxruntime's WebGPU) and the Vulkan loader on a machine without a Vulkan driver.
  /Couldn't load Vulkan|libvulkan\.so|vulkan loader|\[Loader Message\]|VK_ERROR_|dawn[-_/]/i,
  /XDG_RUNTIME_DIR|XDG_\w+ (?:is )?not set/i,
  /^\s*(?:MESA|libEGL|libGL|ALSA lib|Fontconfig)\b/i,
  // Node's own warnings about experimental APIs.
  /^\(node:\d+\) (?:Experimental|Deprecation)Warning/,
  /^\(Use `node --trace-(?:warnings|deprecation)/,
];

/** Splits stderr chunks into lines (a line may span chunks) and gives each a level. */
export class EngineStderr {
  private partial = '';
  /** A stack frame or indented detail belongs to the line above it. */
  private lastLevel: EngineOutputLevel = 'warn';

  push(chunk: string): EngineOutputLine[] {
    const lines = (this.partial + chunk).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    return this.classify(lines);
  }

  /** The last line when the stream ends without a newline. */
  flush(): EngineOutputLine[] {
    const rest = this.partial;
    this.partial = '';
    return rest ? this.classify([rest]) : [];
  }

  private classify(lines: string[]): EngineOutputLine[] {
    const out: EngineOutputLine[] = [];
    for (const text of lines) {
      if (!text.trim()) continue;
      const continuation = /^\s+\S/.test(text);
      const level: EngineOutputLevel = NOISE.some((p) => p.test(text)) ? 'trace' : continuation ? this.lastLevel : 'warn';
      this.lastLevel = level;
      out.push({ level, text });
    }
    return out;
  }
}
