#!/usr/bin/env python3
"""PyTorch/torchaudio peer for `npm run bench`.

Times the same work our TypeScript engine does (log-mel features of a 3 s clip,
CNN inference, one training step) so the bench can put both side by side from
one run on one machine. Prints one JSON line on stdout, every figure in
milliseconds per 3 s clip; diagnostics go to stderr.
"""

import argparse
import json
import sys
import time

try:
    import torch
    import torchaudio
    from torch import nn
except ImportError as err:  # the bench treats a missing peer as "skip"
    print(f"torch_peer: {err} (install python3-torch python3-torchaudio)", file=sys.stderr)
    sys.exit(2)

SAMPLE_RATE = 22050
CLIP_SAMPLES = 3 * SAMPLE_RATE  # 66,150
N_FFT = 2048
HOP = 512
N_MELS = 128
FRAMES = 1 + CLIP_SAMPLES // HOP  # 130, center=True
N_CLASSES = 8
TOP_DB = 80.0
BATCH = 32
# Keras counts BatchNorm's moving mean/variance as (non-trainable) parameters;
# PyTorch keeps them as buffers, so both are added to match our model summary.
EXPECTED_PARAMS = 423_688
MEL_DTYPE = torch.float32  # what torchaudio uses by default


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=2, help="intra-op threads (default 2)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    return parser.parse_args()


def log_mel_transform(dtype=MEL_DTYPE):
    """Mel power spectrogram + power_to_db(ref=max, amin=1e-10, top_db=80)."""
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=SAMPLE_RATE,
        n_fft=N_FFT,
        hop_length=HOP,
        n_mels=N_MELS,
        f_min=0.0,
        f_max=SAMPLE_RATE / 2,
        power=2.0,
        center=True,
        pad_mode="constant",
        norm="slaney",
        mel_scale="slaney",
        window_fn=torch.hann_window,  # periodic by default
    ).to(dtype)
    # AmplitudeToDB uses ref=1 and clamps at (max - top_db); subtracting the max
    # afterwards gives librosa's ref=np.max result.
    to_db = torchaudio.transforms.AmplitudeToDB(stype="power", top_db=TOP_DB)

    def apply(waveform):
        db = to_db(mel(waveform))
        return db - db.amax()

    return apply


class EmotionCnn(nn.Module):
    """Mirror of our TypeScript model: 4 conv blocks, global average pool, 2 dense layers."""

    def __init__(self):
        super().__init__()
        blocks = []
        in_channels = 1
        for filters in (32, 64, 128, 256):
            blocks += [
                nn.Conv2d(in_channels, filters, kernel_size=3, padding=1),
                nn.BatchNorm2d(filters),
                nn.ReLU(),
                nn.MaxPool2d(2),
            ]
            in_channels = filters
        self.features = nn.Sequential(*blocks, nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Sequential(
            nn.Dropout(0.6),
            nn.Linear(256, 128),
            nn.ReLU(),
            nn.Dropout(0.4),
            nn.Linear(128, N_CLASSES),  # logits; softmax lives in the loss
        )

    def forward(self, x):
        return self.head(self.features(x))


def count_params(model):
    trainable = sum(p.numel() for p in model.parameters())
    running_stats = sum(
        b.numel() for name, b in model.named_buffers() if name.endswith(("running_mean", "running_var"))
    )
    return trainable, running_stats


def mean_ms(fn, repeats, warmup=1):
    for _ in range(warmup):
        fn()
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - start) * 1000.0 / repeats


def bench_mel(repeats, generator):
    log_mel = log_mel_transform()
    clips = torch.randn(repeats, CLIP_SAMPLES, generator=generator, dtype=MEL_DTYPE) * 0.1
    log_mel(clips[0])  # warm-up: window and filterbank caches
    start = time.perf_counter()
    for clip in clips:
        log_mel(clip)
    return (time.perf_counter() - start) * 1000.0 / repeats


def bench_inference(model, batch, repeats, generator):
    model.eval()
    x = torch.randn(batch, 1, N_MELS, FRAMES, generator=generator)
    with torch.no_grad():
        return mean_ms(lambda: model(x), repeats) / batch


def bench_training(model, repeats, generator):
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(BATCH, 1, N_MELS, FRAMES, generator=generator)
    y = torch.randint(0, N_CLASSES, (BATCH,), generator=generator)

    def step():
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    return mean_ms(step, repeats) / BATCH


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(0)
    reps = (
        {"mel": 10, "infer1": 5, "infer_batch": 2, "train": 2}
        if args.quick
        else {"mel": 50, "infer1": 20, "infer_batch": 5, "train": 5}
    )

    model = EmotionCnn()
    trainable, running_stats = count_params(model)
    print(
        f"torch_peer: {trainable:,} trainable + {running_stats:,} BatchNorm running stats"
        f" = {trainable + running_stats:,} parameters (Keras count)",
        file=sys.stderr,
    )
    assert trainable + running_stats == EXPECTED_PARAMS, "model does not match ours"

    result = {
        "mel_peer_ms": bench_mel(reps["mel"], generator),
        "infer_peer_ms": bench_inference(model, 1, reps["infer1"], generator),
        "infer_batch_peer_ms": bench_inference(model, BATCH, reps["infer_batch"], generator),
        "train_peer_ms": bench_training(model, reps["train"], generator),
    }
    result = {key: round(value, 3) for key, value in result.items()}
    result.update(
        torch=torch.__version__,
        torchaudio=torchaudio.__version__,
        mel_dtype=str(MEL_DTYPE).removeprefix("torch."),
        threads=torch.get_num_threads(),
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
