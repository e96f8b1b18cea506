#!/usr/bin/env bash
# Regenerates the media of tests/fixtures/rules/: the few binary files the per-rule fixtures need, copied into
# each fixture folder that uses them (the fixture texts, `episodes.toml`, `feed.xml` and `*.xml`, are written
# by hand and left alone). Every file is tiny, so the whole folder stays well under 1 MB:
#   tone.mp3         2 s of a 440 Hz sine, MPEG-2.5 Layer III at 8 kbit/s by lame 3.100 (about 2 KB)
#   truncated.mp3    tone.mp3 with its last frame cut short (C027)
#   damaged-tag.mp3  tone.mp3 behind an ID3v2.3 tag whose second frame id is not one (C033)
#   not-audio.mp3    text named like an MP3 (C020, F406)
#   cover.png        1400×1400 RGB PNG of one colour, the smallest Apple accepts (about 8 KB; F4xx only)
#   cover-300.png    300×300 RGB PNG, too small for Apple (C017, F405)
# Needs ffmpeg, lame and python3 (`apt-get install ffmpeg lame`).
set -euo pipefail
cd "$(dirname "$0")/.."
rules=tests/fixtures/rules
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ffmpeg -v error -y -f lavfi -i "sine=frequency=440:duration=2:sample_rate=8000" -ac 1 "$work/tone.wav"
lame --quiet -b 8 --resample 8 -m m "$work/tone.wav" "$work/tone.mp3"

python3 - "$work" <<'PY'
import struct, sys, zlib
work = sys.argv[1]
tone = open(f"{work}/tone.mp3", "rb").read()

# The last frame loses 30 of its bytes, as in an upload cut off before the end.
open(f"{work}/truncated.mp3", "wb").write(tone[:-30])

# ID3v2.3: a TIT2 frame, then a frame whose id `junk` is not a frame id (ids are A–Z and 0–9).
def syncsafe(n):
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])
def frame(fid, data):
    return fid + struct.pack(">I", len(data)) + b"\x00\x00" + data
frames = frame(b"TIT2", b"\x03Old title") + frame(b"junk", b"junk")
open(f"{work}/damaged-tag.mp3", "wb").write(b"ID3\x03\x00\x00" + syncsafe(len(frames)) + frames + tone)

open(f"{work}/not-audio.mp3", "w").write("This is a text file named like an MP3.\n")

# A one-colour RGB PNG: the filter byte 0 and the same pixel on every row compress to almost nothing.
def png(size):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = (b"\x00" + bytes([0xC8, 0x10, 0x2E]) * size) * size
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
open(f"{work}/cover.png", "wb").write(png(1400))
open(f"{work}/cover-300.png", "wb").write(png(300))
PY

# Which fixture file is a copy of which generated file ("target source" per line). Fixtures name their show
# artwork by a URL outside the media folder, so only C017 has an image; `validate --media` checks every file
# a feed names, so the F4xx folders have theirs.
while read -r target source; do
    [ -n "$target" ] || continue
    mkdir -p "$(dirname "$rules/$target")"
    cp "$work/$source" "$rules/$target"
done <<'MAP'
C010/one.mp3 tone.mp3
C017/media/one.mp3 tone.mp3
C017/media/cover-300.png cover-300.png
C020/media/one.mp3 not-audio.mp3
C027/media/one.mp3 truncated.mp3
C033/media/one.mp3 damaged-tag.mp3
F401/media/cover.png cover.png
F402/media/one.m4a tone.mp3
F402/media/cover.png cover.png
F403/media/cover.png cover.png
F404/media/cover.png cover.png
F405/media/one.mp3 tone.mp3
F405/media/cover-300.png cover-300.png
F406/media/one.mp3 not-audio.mp3
F406/media/cover.png cover.png
F407/media/cover.png cover.png
MAP

# Every other fixture folder: its episodes' audio is the tone.
for dir in "$rules"/*/; do
    case "$(basename "$dir")" in
        C010 | C017 | C020 | C027 | C033 | F402 | F405 | F406) continue ;;
    esac
    for name in one.mp3 two.mp3; do
        if [ -f "$dir/media/$name" ]; then cp "$work/tone.mp3" "$dir/media/$name"; fi
    done
done
