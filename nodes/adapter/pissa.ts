import { z } from 'zod';
import { RandomSource, Tensor, defineNode, formatShape, splitSvd, tensorEntry, type WeightsValue } from '../../engine';

export const adapterPissa = defineNode({
  type: 'adapter.pissa',
  title: 'PiSSA adapter',
  category: 'adapter',
  description: 'PiSSA\'s initialisation of a LoRA adapter (Meng et al. 2024) for one linear layer W (out × in, PyTorch\'s nn.Linear layout): the principal part U_r S_r V_rᵀ split as B = U_r √S_r (out × r) and A = √S_r V_rᵀ (r × in), and the residual W − B·A that replaces the base weight. The adapter carries PEFT\'s tensor names for the module given (base_model.model.<module>.lora_A.weight, …lora_B.weight), so export.safetensors writes a file PEFT loads as adapter_model.safetensors; the residual is named <module>.weight.',
  typeVersion: 1,
  inputs: [{ name: 'weight', type: 'tensor', doc: 'the layer\'s weight, out × in (an ONNX MatMul weight is in × out: permute it first)' }],
  outputs: [
    { name: 'adapter', type: 'weights', doc: 'lora_A (r × in) and lora_B (out × r) under PEFT\'s names' },
    { name: 'residual', type: 'weights', doc: 'W − B·A, the new base weight, named <module>.weight' },
    { name: 'info', type: 'metrics', doc: 'rank, the principal part\'s share of ‖W‖², the residual\'s relative norm' },
  ],
  params: z.object({
    rank: z.number().int().min(1).max(65536).default(16).describe('the adapter\'s rank r'),
    module: z.string().min(1).default('model.layers.0.self_attn.q_proj').describe('the module\'s path in the PyTorch model, as PEFT names it'),
  }),
  async run({ weight }, p, ctx) {
    if (weight.ndim !== 2) throw new Error(`input 'weight' is ${formatShape(weight.shape)}; a linear layer's weight is a matrix out × in`);
    const [out, inn] = weight.shape as [number, number];
    if (p.rank > Math.min(out, inn)) throw new Error(`param 'rank' is ${p.rank}, above min(out, in) = ${Math.min(out, inn)} for a weight of ${formatShape(weight.shape)}`);
    const svd = await ctx.backend.truncatedSvd(weight, { rank: p.rank, method: 'exact', oversample: 0, powerIters: 0, random: new RandomSource(0) });
    const r = p.rank;
    const { left: b, right: a } = await splitSvd(svd.value.u, svd.value.s, svd.value.v);
    const residual = new Tensor([out, inn]);
    let w2 = 0;
    let r2 = 0;
    for (let i = 0; i < out; i++)
      for (let j = 0; j < inn; j++) {
        let ba = 0;
        for (let t = 0; t < r; t++) ba += b.data[i * r + t]! * a.data[t * inn + j]!;
        const x = weight.data[i * inn + j]!;
        residual.data[i * inn + j] = x - ba;
        w2 += x * x;
        r2 += (x - ba) ** 2;
      }
    const prefix = `base_model.model.${p.module}`;
    const adapter: WeightsValue = { kind: 'weights', name: 'adapter_model.safetensors', file: { entries: [tensorEntry(`${prefix}.lora_A.weight`, a), tensorEntry(`${prefix}.lora_B.weight`, b)], metadata: { format: 'pt' } } };
    const base: WeightsValue = { kind: 'weights', name: 'residual.safetensors', file: { entries: [tensorEntry(`${p.module}.weight`, residual)], metadata: { format: 'pt' } } };
    return {
      adapter,
      residual: base,
      info: {
        rank: { value: r, unit: '', doc: 'the adapter\'s rank' },
        energyKept: { value: svd.energyKept, unit: '', doc: 'Σ_{i≤r} σᵢ² / Σ σᵢ²: the principal part\'s share of ‖W‖²' },
        residualNorm: { value: w2 === 0 ? 0 : Math.sqrt(r2 / w2), unit: '', doc: '‖W − B·A‖F / ‖W‖F' },
      },
    };
  },
});
