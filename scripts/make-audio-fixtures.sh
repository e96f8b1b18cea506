#!/usr/bin/env bash
# Regenerates tests/fixtures/audio/: small audio files made by real encoders (lame, ffmpeg), plus damaged and
# mislabelled files, and manifest.json with each file's truth measured by an independent decoder:
#   samples      decoded samples per channel, from a full decode by ffmpeg (`-f s16le`), which trims the
#                encoder delay and padding when a LAME/Info header or an MP4 edit list gives them
#   frames       MPEG audio frames, as counted by ffprobe (`-count_packets`)
#   sample_rate, channels   from ffprobe
# Needs ffmpeg/ffprobe, lame and python3 with mutagen (`apt-get install ffmpeg lame`, `pip install mutagen`).
set -euo pipefail
cd "$(dirname "$0")/.."
out=tests/fixtures/audio
mkdir -p "$out"
rm -f "$out"/*.mp3 "$out"/*.mp2 "$out"/*.m4a "$out"/*.ogg "$out"/*.opus "$out"/*.flac "$out"/*.wav "$out"/*.txt \
   "$out"/*.png "$out"/*.gif
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ff() { ffmpeg -v error -y "$@"; }

# Sources: a sine with pink noise on top (so VBR encoders really vary the bitrate), 3 s, 44.1 kHz.
ff -f lavfi -i "sine=frequency=440:duration=3:sample_rate=44100" \
   -f lavfi -i "anoisesrc=d=3:c=pink:a=0.2:r=44100" \
   -filter_complex "[0][1]amix=inputs=2:duration=shortest,pan=stereo|c0=c0|c1=0.7*c0" "$work/stereo.wav"
ff -i "$work/stereo.wav" -ac 1 "$work/mono.wav"
# A cover image for tags (a few KB).
ff -f lavfi -i "color=c=0xc8102e:s=64x64:d=1" -frames:v 1 "$work/cover.jpg"

lame_() { lame --quiet "$@"; }

# MPEG-1 Layer III, 44.1 kHz
lame_ -b 64 --resample 44.1 "$work/stereo.wav" "$out/cbr64-info.mp3"                 # CBR with an Info + LAME header
lame_ -b 64 --resample 44.1 -t "$work/stereo.wav" "$out/cbr64-noheader.mp3"          # CBR, no Info frame
lame_ -V 6 "$work/stereo.wav" "$out/vbr-xing.mp3"                    # VBR with a Xing + LAME header
lame_ -V 6 -t "$work/stereo.wav" "$out/vbr-noheader.mp3"             # VBR, no header at all
lame_ --abr 56 "$work/stereo.wav" "$out/abr56.mp3"                   # ABR
lame_ -m m -b 48 "$work/mono.wav" "$out/mono-cbr48.mp3"              # mono
lame_ -p -V 6 "$work/stereo.wav" "$out/crc-vbr.mp3"                  # CRC-protected frames
# MPEG-2 and MPEG-2.5
lame_ --resample 22.05 -V 7 "$work/stereo.wav" "$out/mpeg2-22k-vbr.mp3"
lame_ --resample 24 -b 32 -m m "$work/mono.wav" "$out/mpeg2-24k-mono.mp3"
lame_ --resample 8 -b 16 -m m "$work/mono.wav" "$out/mpeg25-8k-cbr.mp3"
lame_ --resample 8 -V 7 -m m -t "$work/mono.wav" "$out/mpeg25-8k-vbr-noheader.mp3"
# Layer II (ffmpeg's encoder; no Layer I encoder is packaged, so Layer I is built synthetically in the tests)
ff -i "$work/stereo.wav" -c:a mp2 -b:a 64k "$out/layer2.mp2"

# Tags
ff -i "$out/cbr64-noheader.mp3" -i "$work/cover.jpg" -map 0:a -map 1:v -c copy -id3v2_version 3 \
   -metadata title="Tagged v2.3" -metadata artist="Artist" -metadata album="Album" -metadata track=7 \
   -metadata date=2024 -metadata genre=Podcast -metadata comment="A comment" \
   -disposition:v attached_pic -metadata:s:v comment="Cover (front)" "$out/id3v23-cover.mp3"
# Tiny real pictures for tags (8×8, a PNG and a GIF): an APIC frame must state the picture's real type.
ff -f lavfi -i "color=c=0x2e8b57:s=8x8:d=1" -frames:v 1 "$out/tiny.png"
ff -f lavfi -i "color=c=0x2e8b57:s=8x8:d=1" -frames:v 1 "$out/tiny.gif"
lame_ -b 64 --resample 44.1 --id3v1-only --tt "Only v1" --ta "Artist v1" "$work/stereo.wav" "$out/id3v1-only.mp3"
cp "$out/vbr-xing.mp3" "$out/ape.mp3"
python3 - "$out" "$work" <<'PY'
import os, struct, sys
from mutagen.apev2 import APEv2
from mutagen.id3 import ID3, COMM
out, work = sys.argv[1:3]

# ffmpeg writes `-metadata comment` as TXXX:comment; add a real COMM frame (kept as ID3v2.3).
tags = ID3(os.path.join(out, "id3v23-cover.mp3"))
tags.add(COMM(encoding=3, lang="eng", desc="", text="A comment"))
tags.save(v2_version=3)

# An APEv2 tag at the end (after the audio, before nothing).
ape = APEv2()
ape["Title"] = "APE title"
ape.save(os.path.join(out, "ape.mp3"))

def syncsafe(n):
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])

def text_frame_v24(fid, text):
    data = b"\x03" + text.encode("utf-8")
    return fid.encode() + syncsafe(len(data)) + b"\x00\x00" + data

audio = open(os.path.join(out, "vbr-xing.mp3"), "rb").read()

# ID3v2.4 with a footer ("3DI"): flags bit 0x10; the footer repeats the header with "3DI".
frames = text_frame_v24("TIT2", "Footer tag") + text_frame_v24("TPE1", "Someone")
header = b"ID3\x04\x00\x10" + syncsafe(len(frames))
footer = b"3DI\x04\x00\x10" + syncsafe(len(frames))
open(os.path.join(out, "id3v24-footer.mp3"), "wb").write(header + frames + footer + audio)

# Two ID3v2 tags in a row (some tools prepend a second tag instead of replacing the first).
tag2 = b"ID3\x03\x00\x00" + syncsafe(len(frames)) + frames
open(os.path.join(out, "two-id3v2-tags.mp3"), "wb").write(header + frames + footer + tag2 + audio)

# Junk between frames: 417 bytes of 0x55 after the 40th frame. (A fake sync word inside the junk is tested
# with synthetic frames instead: ffmpeg's decoder then drops two real frames, so its output is no longer the
# truth about the stream; ffprobe still counts every frame.)
cbr = open(os.path.join(out, "cbr64-noheader.mp3"), "rb").read()
frame_len = 208  # MPEG-1 L3 64 kbit/s 44.1 kHz: 144*64000/44100 = 208 (209 with padding)
# Find frame boundaries by walking headers (enough for this fixture: CBR, padding bit read per frame).
pos, cuts = 0, []
while pos + 4 <= len(cbr) and len(cuts) < 41:
    b = cbr[pos:pos + 4]
    pad = (b[2] >> 1) & 1
    cuts.append(pos)
    pos += 144 * 64000 // 44100 + pad
cut = cuts[40]
junk = b"\x55" * 417
open(os.path.join(out, "junk-between-frames.mp3"), "wb").write(cbr[:cut] + junk + cbr[cut:])

# A truncated file whose Xing header still claims the full length (cut at 60 % of its bytes, mid-frame).
open(os.path.join(out, "truncated-xing.mp3"), "wb").write(audio[: len(audio) * 6 // 10 + 7])

# An ID3v2 tag whose size field runs past the end of the file.
open(os.path.join(out, "tag-past-eof.mp3"), "wb").write(b"ID3\x03\x00\x00" + syncsafe(10_000_000) + frames)

# Not audio, or not what the name says.
open(os.path.join(out, "empty.mp3"), "wb").write(b"")
open(os.path.join(out, "text-named.mp3"), "wb").write(b"This is a text file, not an MP3.\n" * 20)
PY
ff -i "$work/mono.wav" -t 1 -ar 8000 -c:a pcm_s16le -f wav "$out/wav-named.mp3"

# Other containers, through symphonia
ff -i "$work/stereo.wav" -c:a aac -b:a 48k "$out/aac.m4a"
ff -i "$work/stereo.wav" -c:a libvorbis -q:a 0 "$out/vorbis.ogg"
ff -i "$work/stereo.wav" -c:a libopus -b:a 24k "$out/opus.opus"
ff -i "$work/mono.wav" -ar 8000 -c:a flac "$out/mono.flac"
ff -i "$work/mono.wav" -t 2 -ar 8000 -c:a pcm_s16le "$out/mono.wav"

# Truth for every file that an independent decoder can read.
python3 - "$out" <<'PY'
import json, os, subprocess, sys
out = sys.argv[1]
manifest = {}
for name in sorted(os.listdir(out)):
    path = os.path.join(out, name)
    # The folders below (mp4/, vorbis/) have their own scripts and manifests.
    if name in ("manifest.json", "README.md") or os.path.isdir(path):
        continue
    entry = {"size_bytes": os.path.getsize(path)}
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "a:0", "-count_packets",
         "-show_entries", "stream=sample_rate,channels,codec_name,nb_read_packets", "-of", "json", path],
        capture_output=True, text=True)
    streams = json.loads(probe.stdout or "{}").get("streams", []) if probe.returncode == 0 else []
    if streams:
        s = streams[0]
        pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "s16le", "-ac", "1", "-"],
                             capture_output=True)
        entry.update({
            "codec": s["codec_name"],
            "sample_rate": int(s["sample_rate"]),
            "channels": s["channels"],
            "samples": len(pcm.stdout) // 2,
            "ffprobe_packets": int(s.get("nb_read_packets", 0)),
        })
    manifest[name] = entry
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1, sort_keys=True)
    f.write("\n")
PY
ls -l "$out"
du -sh "$out"
