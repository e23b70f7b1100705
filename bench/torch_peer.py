"""PyTorch's side of `npm run bench` (bench/torch.ts starts it; it is not run on its own).

It reads one JSON request per line on stdin and answers one JSON line on stdout:
  {"cmd": "setup", "workload": {...}}   the job, its data and initial weights (float64, base64)
  {"cmd": "answer", "dtype": "float32"} the values the bench compares across engines, from a fresh setup
  {"cmd": "time", "dtype": "float64", "calls": N}  runs the job N times; answers the elapsed ms
PyTorch runs on $FOCALGRAD_TORCH_THREADS threads (torch.ts sets it, with the OpenBLAS, OpenMP and MKL
thread counts: 1 for the one-thread columns, every core for the all-cores rows).
"""
import base64
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

THREADS = int(os.environ.get("FOCALGRAD_TORCH_THREADS", "1"))
torch.set_num_threads(THREADS)
torch.set_num_interop_threads(1)
DTYPES = {"float32": torch.float32, "float64": torch.float64}


def from_b64(text, dtype, shape):
    values = torch.frombuffer(bytearray(base64.b64decode(text)), dtype=torch.float64)
    return values.reshape(shape).to(dtype)


def to_b64(t):
    return base64.b64encode(t.detach().to(torch.float64).contiguous().numpy().tobytes()).decode()


def mlp(w, dtype):
    sizes = w["sizes"]
    layers = []
    for l in range(len(sizes) - 1):
        linear = torch.nn.Linear(sizes[l], sizes[l + 1], dtype=dtype)
        with torch.no_grad():
            # focalgrad stores W as [in, out]; torch.nn.Linear as [out, in].
            linear.weight.copy_(from_b64(w["params"][2 * l], dtype, [sizes[l], sizes[l + 1]]).T)
            linear.bias.copy_(from_b64(w["params"][2 * l + 1], dtype, [sizes[l + 1]]))
        layers.append(linear)
        if l < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    adam = w["adam"]
    optimizer = torch.optim.Adam(model.parameters(), lr=adam["lr"], betas=(adam["beta1"], adam["beta2"]), eps=adam["eps"])
    x = from_b64(w["x"], dtype, [w["batch"], sizes[0]])
    y = torch.tensor(w["y"], dtype=torch.long)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    def answer():
        return torch.tensor([step() for _ in range(w["checkSteps"])], dtype=torch.float64)

    return step, answer


def matmul(w, dtype):
    n = w["n"]
    a = from_b64(w["a"], dtype, [n, n])
    b = from_b64(w["b"], dtype, [n, n])
    return (lambda: torch.mm(a, b)), (lambda: torch.mm(a, b).reshape(-1))


def tiny(w, dtype):
    def chain(iterations):
        x = from_b64(w["x"], dtype, [-1]).requires_grad_(True)
        c = from_b64(w["c"], dtype, [-1])
        d = from_b64(w["d"], dtype, [-1])

        def run():
            x.grad = None
            y = x
            for _ in range(iterations):
                y = y * c + d
            y.sum().backward()
            return x.grad

        return run

    return chain(w["iterations"]), chain(w["checkIterations"])


def focal(w, dtype):
    rows, classes = w["rows"], w["classes"]
    z = from_b64(w["logits"], dtype, [rows, classes]).requires_grad_(True)
    y = torch.tensor(w["y"], dtype=torch.long)
    alpha_t = torch.tensor(w["alpha"], dtype=dtype)[y]
    gamma = w["gamma"]

    def run():
        z.grad = None
        log_pt = F.log_softmax(z, dim=1).gather(1, y[:, None])[:, 0]
        loss = -(alpha_t * (1 - log_pt.exp()) ** gamma * log_pt).mean()
        loss.backward()
        return z.grad.reshape(-1)

    return run, run


BUILD = {"mlp": mlp, "matmul": matmul, "tiny": tiny, "focal": focal}


def main():
    workload = None
    for line in sys.stdin:
        request = json.loads(line)
        cmd = request["cmd"]
        try:
            if cmd == "setup":
                workload = request["workload"]
                jobs = {name: BUILD[workload["kind"]](workload, dtype) for name, dtype in DTYPES.items()}
                reply = {"ok": True, "torch": torch.__version__, "threads": torch.get_num_threads()}
            elif cmd == "answer":
                # A fresh job, so that timing and checking start from the same weights on every side.
                _, answer = BUILD[workload["kind"]](workload, DTYPES[request["dtype"]])
                reply = {"ok": True, "values": to_b64(answer())}
            elif cmd == "time":
                run = jobs[request["dtype"]][0]
                t0 = time.perf_counter()
                for _ in range(request["calls"]):
                    run()
                reply = {"ok": True, "ms": (time.perf_counter() - t0) * 1e3}
            else:
                reply = {"ok": False, "error": f"unknown command {cmd}"}
        except Exception as error:  # the bench reports it and stops: a peer that fails must not be skipped quietly
            reply = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
