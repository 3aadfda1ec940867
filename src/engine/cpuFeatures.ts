// Whether this CPU has integer dot-product instructions, which make int8-activation int4 matmuls
// (MatMulNBits accuracy_level 4) faster than exact float32 ones: AVX-VNNI or AVX512-VNNI on x86,
// the dot-product extension on ARM (every Apple silicon chip has it). Read from /proc/cpuinfo on
// Linux; elsewhere only Apple silicon is known, and an unknown CPU counts as without.
import { readFileSync } from 'node:fs';

const X86_DOT = /\b(?:avx512_vnni|avx_vnni)\b/;
const ARM_DOT = /\basimddp\b/;

export function cpuHasDotProduct(platform: NodeJS.Platform = process.platform, arch: string = process.arch, cpuinfo?: string): boolean {
  if (platform === 'darwin') return arch === 'arm64';
  if (platform !== 'linux') return false;
  let text = cpuinfo;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return false;
    }
  }
  // The first processor's flags ("flags" on x86, "Features" on ARM) speak for all of them.
  const line = text.split('\n').find((l) => /^(?:flags|Features)\s*:/.test(l)) ?? '';
  return arch === 'arm64' ? ARM_DOT.test(line) : X86_DOT.test(line);
}
