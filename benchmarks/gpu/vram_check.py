"""Random-weight Llama-3.1-8B (bf16) on the GPU against Kiai's VramPlanner.

Run through check.sh. With --plan-only it only asks the planner (no GPU, no PyTorch needed), which is
how the Java half is tested on a machine without a GPU.
"""
import argparse
import json
import subprocess
import sys
import time

GIB = 1 << 30
# Llama-3.1-8B config.json
VOCAB, HIDDEN, FFN, LAYERS, HEADS, KV_HEADS = 128256, 4096, 14336, 32, 32, 8


def plan(args, batch, ctx):
    cmd = [args.java, "-jar", args.jar, "gpu", "plan", "--model", "llama-3.1-8b", "--quant", "bf16",
           "--ctx", str(ctx), "--concurrency", str(batch), "--gpu", args.gpu]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def cases(text):
    out = []
    for part in text.split(","):
        b, c = part.lower().split("x")
        out.append((int(b), int(c)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--java", required=True)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--gpu", default="h200-141gb")
    ap.add_argument("--cases", default="1x2048,8x2048,32x1024,4x8192", help="BATCHxCONTEXT,...")
    ap.add_argument("--new-tokens", type=int, default=32)
    ap.add_argument("--decode-ctx", type=int, default=2048)
    ap.add_argument("--decode-steps", type=int, default=128)
    ap.add_argument("--plan-only", action="store_true")
    args = ap.parse_args()
    results = {"gpu_spec": args.gpu, "cases": [], "decode": None}

    plans = {(b, c): plan(args, b, c) for b, c in cases(args.cases)}
    decode_plan = plan(args, 1, args.decode_ctx)
    for (b, c), p in plans.items():
        print(f"planner batch={b} ctx={c}: weights={p['weights_bytes'] / GIB:.2f} GiB "
              f"kv/token={p['kv_bytes_per_token']} B kv={p['kv_bytes'] / GIB:.2f} GiB "
              f"total(+{p['overhead_bytes'] / GIB:.0f} GiB overhead)={p['total_bytes'] / GIB:.2f} GiB")
    print(f"planner batch-1 bound at ctx={args.decode_ctx}: "
          f"{decode_plan['bandwidth_bound_tokens_per_second']} tokens/s")
    if args.plan_only:
        results["plans"] = list(plans.values())
        write(args, results)
        return 0

    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
    import transformers

    print(f"torch {torch.__version__}, transformers {transformers.__version__}, "
          f"device {torch.cuda.get_device_name(0)}")
    cfg = LlamaConfig(vocab_size=VOCAB, hidden_size=HIDDEN, intermediate_size=FFN, num_hidden_layers=LAYERS,
                      num_attention_heads=HEADS, num_key_value_heads=KV_HEADS, max_position_embeddings=131072,
                      rope_theta=500000.0, rms_norm_eps=1e-5, tie_word_embeddings=False)
    cfg._attn_implementation = "sdpa"
    torch.manual_seed(0)
    torch.set_default_dtype(torch.bfloat16)
    t0 = time.perf_counter()
    with torch.device("cuda"):
        model = LlamaForCausalLM(cfg)
    model.eval()
    model.generation_config.pad_token_id = 0
    model.generation_config.eos_token_id = None
    torch.cuda.synchronize()
    params = sum(p.numel() for p in model.parameters())
    weights_alloc = torch.cuda.memory_allocated()
    planned_weights = next(iter(plans.values()))["weights_bytes"]
    print(f"model built in {time.perf_counter() - t0:.1f} s: {params:,} parameters, "
          f"{weights_alloc / GIB:.3f} GiB allocated; planner weights {planned_weights / GIB:.3f} GiB "
          f"({(weights_alloc / planned_weights - 1) * 100:+.2f} %)")
    results.update(parameters=params, weights_allocated=weights_alloc, planned_weights=planned_weights)

    for (b, c), p in plans.items():
        prompt = c - args.new_tokens
        ids = torch.randint(0, VOCAB, (b, prompt), device="cuda")
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
        t = time.perf_counter()
        with torch.inference_mode():
            model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=args.new_tokens,
                           min_new_tokens=args.new_tokens, do_sample=False)
        torch.cuda.synchronize()
        secs = time.perf_counter() - t
        peak = torch.cuda.max_memory_allocated()
        wkv = p["weights_bytes"] + p["kv_bytes"]
        total = p["total_bytes"]
        row = dict(batch=b, ctx=c, peak_allocated=peak, planned_weights_kv=wkv, planned_total=total,
                   peak_vs_weights_kv=peak / wkv - 1, peak_vs_total=peak / total - 1,
                   within_10_percent=abs(peak / total - 1) <= 0.10, seconds=secs)
        results["cases"].append(row)
        print(f"batch={b:3d} ctx={c:5d}: peak {peak / GIB:7.2f} GiB | planner weights+KV {wkv / GIB:7.2f} GiB "
              f"({row['peak_vs_weights_kv'] * 100:+6.1f} %) | planner total {total / GIB:7.2f} GiB "
              f"({row['peak_vs_total'] * 100:+6.1f} %) {'OK' if row['within_10_percent'] else 'OUTSIDE 10 %'} "
              f"| {secs:.1f} s")
        del ids

    # Batch-1 decode at decode-ctx tokens of context, eager PyTorch, KV cache reused step to step.
    ids = torch.randint(0, VOCAB, (1, args.decode_ctx), device="cuda")
    with torch.inference_mode():
        out = model(ids, use_cache=True)
        past, nxt = out.past_key_values, out.logits[:, -1:].argmax(-1)
        for _ in range(8):
            out = model(nxt, past_key_values=past, use_cache=True)
            past, nxt = out.past_key_values, out.logits[:, -1:].argmax(-1)
        torch.cuda.synchronize()
        t = time.perf_counter()
        for _ in range(args.decode_steps):
            out = model(nxt, past_key_values=past, use_cache=True)
            past, nxt = out.past_key_values, out.logits[:, -1:].argmax(-1)
        torch.cuda.synchronize()
        decode_tps = args.decode_steps / (time.perf_counter() - t)
    del past, out, ids
    torch.cuda.empty_cache()
    # What the memory really delivers: copy 8 GiB (read + write) a few times.
    n = 4 * GIB // 2
    src = torch.empty(n, dtype=torch.bfloat16, device="cuda")
    dst = torch.empty_like(src)
    dst.copy_(src)
    torch.cuda.synchronize()
    t = time.perf_counter()
    reps = 10
    for _ in range(reps):
        dst.copy_(src)
    torch.cuda.synchronize()
    copy_bw = 2 * src.numel() * 2 * reps / (time.perf_counter() - t)
    bound = decode_plan["bandwidth_bound_tokens_per_second"]
    read_per_token = decode_plan["weights_bytes"] + decode_plan["kv_bytes"]
    results["decode"] = dict(ctx=args.decode_ctx, tokens_per_second=decode_tps, planner_bound=bound,
                             fraction_of_bound=decode_tps / bound, under_bound=decode_tps <= bound,
                             copy_bandwidth=copy_bw, bound_at_copy_bandwidth=copy_bw / read_per_token)
    print(f"batch-1 decode at ctx={args.decode_ctx}: {decode_tps:.1f} tokens/s (eager PyTorch); planner bound "
          f"{bound:.1f} tokens/s at spec bandwidth -> {decode_tps / bound * 100:.1f} % of bound, "
          f"{'under' if decode_tps <= bound else 'ABOVE'} it")
    print(f"measured copy bandwidth {copy_bw / 1e12:.2f} TB/s -> bound at that bandwidth "
          f"{copy_bw / read_per_token:.1f} tokens/s")
    write(args, results)
    return 0


def write(args, results):
    path = f"{args.out}/gpu-check.json"
    with open(path, "w") as f:
        json.dump(results, f, indent=2)
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
