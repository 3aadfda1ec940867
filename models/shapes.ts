// Model dimensions the generator can produce.

export type ShapeName = 'tiny' | 'demo' | 'qwen2.5-0.5b';

export interface ModelShape {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  intermediateSize: number;
  vocabSize: number;
  maxPositions: number;
  ropeTheta: number;
  rmsNormEps: number;
}

const tiny: ModelShape = {
  hiddenSize: 64,
  numLayers: 2,
  numHeads: 4,
  numKvHeads: 2,
  headDim: 16,
  intermediateSize: 128,
  vocabSize: 512,
  maxPositions: 2048,
  ropeTheta: 10000,
  rmsNormEps: 1e-6,
};

/** Qwen2.5-0.5B-Instruct's dimensions with the vocabulary cut to 32000 (415 M parameters). */
const qwen25HalfB: ModelShape = {
  hiddenSize: 896,
  numLayers: 24,
  numHeads: 14,
  numKvHeads: 2,
  headDim: 64,
  intermediateSize: 4864,
  vocabSize: 32000,
  maxPositions: 32768,
  ropeTheta: 1000000,
  rmsNormEps: 1e-6,
};

export const SHAPES: Record<ShapeName, ModelShape> = { tiny, demo: tiny, 'qwen2.5-0.5b': qwen25HalfB };
