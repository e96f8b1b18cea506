#!/usr/bin/env bash
# Regenerates the media of the loudness rule fixtures (tests/fixtures/rules/C045 … C051): short tone chords
# brought to an exact integrated loudness (measured with ffmpeg's `ebur128` filter, then one gain), encoded by
# lame or ffmpeg. The media are named `epN.*`, not `one.mp3`, so that scripts/make-rule-fixtures.sh (which
# puts its tone into every other fixture's `one.mp3`) leaves them alone. Each file is 3 to 6 seconds, 12 to
# 70 KB:
#   clean.mp3      -16 LUFS, true peak about -12 dBTP, mono 44.1 kHz 64 kbit/s CBR: passes every check
#   quiet.mp3      the same at -23 LUFS (C045)
#   hot.mp3        clean.mp3 with a 20 ms burst at -0.1 dBFS: true peak above -1 dBTP (C046)
#   low.mp3        the same at -19.5 LUFS, 3.5 LU from the other two (C047, with `tolerance = 5`)
#   lofi.mp3       clean at 22.05 kHz and 32 kbit/s (C048)
#   stereo.mp3     clean in stereo at 128 kbit/s, beside a mono one (C049)
#   silent-lead.mp3  4 s of silence, then the chord (C050)
#   surround.opus  a 3-channel Opus stream, which castkit does not decode (C051)
# Needs ffmpeg (with libopus), sox and lame.
set -euo pipefail
cd "$(dirname "$0")/.."
rules=tests/fixtures/rules
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A chord with a slow tremolo: steady, music-like, low crest factor.
chord() { # seconds channels out.wav
    sox -q -n -r 44100 -c "$2" "$3" synth "$1" sine 220 sine 277 sine 330 remix - tremolo 2 30 fade 0.05 "$1" 0.05
}
# Brings `in.wav` to `lufs` integrated: one gain, from ffmpeg's measure.
to_lufs() { # in.wav lufs out.wav
    local measured
    measured=$(ffmpeg -nostats -hide_banner -i "$1" -af ebur128 -f null - 2>&1 | awk '/I:/{v=$2} END{print v}')
    sox -q "$1" -b 16 -e signed-integer "$3" gain "$(awk -v t="$2" -v m="$measured" 'BEGIN{printf "%.2f", t-m}')"
}

chord 3 1 "$work/chord.wav"
to_lufs "$work/chord.wav" -16 "$work/clean.wav"
to_lufs "$work/chord.wav" -23 "$work/quiet.wav"
to_lufs "$work/chord.wav" -19.5 "$work/low.wav"
# 20 ms of a 1 kHz tone at -0.1 dBFS in the middle (a click the encoder keeps): the true peak jumps,
# the loudness barely moves.
python3 - "$work/clean.wav" "$work/hot.wav" <<'PY'
import math, sys, wave
src = wave.open(sys.argv[1]); params = src.getparams(); frames = bytearray(src.readframes(params.nframes))
width, rate = params.sampwidth, params.framerate
start = params.nframes // 2
for i in range(rate // 50):
    value = int(0.989 * 32767 * math.sin(2 * math.pi * 1000 * i / rate))
    at = (start + i) * width
    frames[at:at + width] = value.to_bytes(width, "little", signed=True)
out = wave.open(sys.argv[2], "wb"); out.setparams(params); out.writeframes(bytes(frames))
PY
chord 3 2 "$work/chord2.wav"
to_lufs "$work/chord2.wav" -16 "$work/stereo.wav"
sox -q -n -r 44100 -c 1 "$work/silence.wav" trim 0 4
sox -q "$work/silence.wav" "$work/clean.wav" "$work/silent-lead.wav"
chord 3 2 "$work/chord3.wav"
sox -q "$work/chord3.wav" "$work/three.wav" remix 1 2 1v0.5

for name in clean quiet hot low silent-lead; do
    lame --quiet -b 64 -m m "$work/$name.wav" "$work/$name.mp3"
done
lame --quiet -b 32 --resample 22.05 -m m "$work/clean.wav" "$work/lofi.mp3"
lame --quiet -b 128 -m j "$work/stereo.wav" "$work/stereo.mp3"
ffmpeg -v error -y -i "$work/three.wav" -af channelmap=channel_layout=3.0 -c:a libopus -b:a 160k -mapping_family 1 "$work/surround.opus"

# Which fixture file is a copy of which generated file.
while read -r target source; do
    [ -n "$target" ] || continue
    mkdir -p "$(dirname "$rules/$target")"
    cp "$work/$source" "$rules/$target"
done <<'MAP'
C045/media/ep1.mp3 quiet.mp3
C046/media/ep1.mp3 hot.mp3
C047/media/ep1.mp3 clean.mp3
C047/media/ep2.mp3 clean.mp3
C047/media/ep3.mp3 low.mp3
C048/media/ep1.mp3 lofi.mp3
C049/media/ep1.mp3 stereo.mp3
C049/media/ep2.mp3 stereo.mp3
C049/media/ep3.mp3 clean.mp3
C050/media/ep1.mp3 silent-lead.mp3
C051/media/ep1.opus surround.opus
MAP
