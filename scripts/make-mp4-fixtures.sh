#!/usr/bin/env bash
# Regenerates tests/fixtures/audio/mp4/: small MP4/M4A/MOV/M4V files made by ffmpeg (and tagged by mutagen),
# and manifest.json with each file's truth measured by independent tools when the script ran:
#   input_samples    samples per channel fed to the encoder (the source is cut with `atrim=end_sample=N`):
#                    what a sample-exact reader must report
#   duration_ts      the sound track's length in samples as ffprobe states it (`stream=duration_ts`)
#   decoded_samples  a full decode by ffmpeg (`-f s16le`): ffmpeg 5 drops the priming the edit list skips
#                    but keeps the last frame's padding, so this is input_samples + the encoder's padding
#   packets          audio packets (`-count_packets`); sample_rate, channels, codec from ffprobe
#   edit_list_samples  the first edit's duration in samples, as the old reading of the edit list gave it
#                    (ffmpeg writes it in whole milliseconds): where it differs from input_samples, the edit
#                    list alone is not the answer
#   video            whether ffprobe sees a video stream; major_brand from ffprobe
# Needs ffmpeg/ffprobe (with libx264 and libmp3lame) and python3 with mutagen.
set -euo pipefail
cd "$(dirname "$0")/.."
out=tests/fixtures/audio/mp4
mkdir -p "$out"
rm -f "$out"/*.m4a "$out"/*.mp4 "$out"/*.mov "$out"/*.m4v "$out"/manifest.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ff() { ffmpeg -v error -y -bitexact "$@"; }
# Input options for a sine of exactly $2 samples at $1 Hz (a WAV written first, cut to the sample).
sine() {
    local wav="$work/sine-$1-$2.wav"
    [ -f "$wav" ] || ff -f lavfi -i "sine=frequency=440:sample_rate=$1:duration=5" -af "atrim=end_sample=$2" "$wav"
    echo "-i $wav"
}

# AAC (ffmpeg's encoder) at lengths where the edit list's whole milliseconds cut samples (44118 samples are
# 1000.4 ms, written as 1000 ms) or hide the padding (a whole number of milliseconds).
for spec in 44100:44100 44100:44118 44100:103415 44100:132321 48000:48005 48000:144000 48000:112583; do
    rate=${spec%%:*} n=${spec##*:}
    ff $(sine "$rate" "$n") -c:a aac -b:a 32k "$out/aac-${rate}-${n}.m4a"
done
# High sample rates: the sample entry's 16.16 rate field cannot hold them.
ff $(sine 96000 96000) -c:a aac -b:a 64k "$out/aac-96000-96000.m4a"
ff $(sine 88200 88200) -c:a aac -b:a 64k "$out/aac-88200-88200.m4a"
# No edit list, gapless data in iTunes' `iTunSMPB` comment instead (written by mutagen below).
ff $(sine 44100 66150) -c:a aac -b:a 32k -use_editlist 0 "$out/itunsmpb-44100-66150.m4a"
# ALAC: the last packet decodes to exactly its samples, no padding.
ff $(sine 44100 50000) -c:a alac "$out/alac-44100-50000.m4a"
# MP3 in MP4: ffmpeg writes 2 in the sample entry's channel count whatever the real count.
ff $(sine 44100 66150) -c:a libmp3lame -b:a 32k -ac 1 "$out/mp3-mono-44100-66150.mp4"
ff $(sine 44100 66150) -c:a libmp3lame -b:a 48k -ac 2 "$out/mp3-stereo-44100-66150.mp4"

# Video (H.264 16×16 at 5 fps + AAC): MP4 (brand isom), QuickTime (qt  ), iTunes video (M4V ).
video="-f lavfi -i color=c=0x2e8b57:s=16x16:r=5:d=1.6"
x264="-c:v libx264 -preset ultrafast -pix_fmt yuv420p"
ff $video $(sine 44100 66150) $x264 -c:a aac -b:a 32k "$out/video-44100-66150.mp4"
ff $video $(sine 44100 66150) $x264 -c:a aac -b:a 32k "$out/video-44100-66150.mov"
ff $video $(sine 44100 66150) $x264 -c:a aac -b:a 32k -f ipod "$out/video-44100-66150.m4v"
ff $video $x264 "$out/video-no-sound.mp4"

# Tags and chapters: ffmpeg's ilst items, QuickTime chapter track and Nero `chpl` from an ffmetadata file.
cat > "$work/meta.txt" <<'META'
;FFMETADATA1
title=Chapter Show
artist=Some Artist
album=The Album
date=2024-05-06
genre=Podcast
comment=A comment here
track=3/10

[CHAPTER]
TIMEBASE=1/1000
START=0
END=500
title=Intro

[CHAPTER]
TIMEBASE=1/1000
START=500
END=1200
title=Middle

[CHAPTER]
TIMEBASE=1/1000
START=1200
END=2000
title=End
META
ff $(sine 44100 88200) -i "$work/meta.txt" -map 0:a -map_metadata 1 -map_chapters 1 -c:a aac -b:a 32k \
   "$out/tagged-chapters-44100-88200.m4a"
# A cover and tags written by mutagen (a JPEG from ffmpeg).
ff -f lavfi -i "color=c=0xc8102e:s=32x32:d=1" -frames:v 1 "$work/cover.jpg"
ff $(sine 44100 44100) -c:a aac -b:a 32k "$out/tagged-cover-44100-44100.m4a"

python3 - "$out" "$work" <<'PY'
import json, os, struct, subprocess, sys
from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm
out, work = sys.argv[1:3]

def run_json(*args):
    return json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)

# iTunes' gapless data: delay 1024 (ffmpeg's AAC priming), the padding to the end of the last packet, length.
path = os.path.join(out, "itunsmpb-44100-66150.m4a")
packets = int(run_json("ffprobe", "-v", "error", "-select_streams", "a:0", "-count_packets", "-show_entries",
                       "stream=nb_read_packets", "-of", "json", path)["streams"][0]["nb_read_packets"])
length = 66150
padding = packets * 1024 - 1024 - length
tags = MP4(path)
tags["----:com.apple.iTunes:iTunSMPB"] = [MP4FreeForm(
    (" 00000000 %08X %08X %016X 00000000 00000000" % (1024, padding, length)).encode())]
tags.save()

tags = MP4(os.path.join(out, "tagged-cover-44100-44100.m4a"))
tags["\xa9nam"] = ["Covered – “quoted”"]
tags["\xa9ART"] = ["Mutagen Artist"]
tags["\xa9alb"] = ["Album"]
tags["\xa9day"] = ["2023"]
tags["\xa9gen"] = ["Talk"]
tags["trkn"] = [(7, 0)]
tags["covr"] = [MP4Cover(open(os.path.join(work, "cover.jpg"), "rb").read(), MP4Cover.FORMAT_JPEG)]
tags.save()

def boxes(data):
    pos = 0
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if size < 8:
            return
        yield kind, data[pos + 8:pos + size]
        pos += size

def child(data, *path):
    for kind in path:
        data = next((b for k, b in boxes(data) if k == kind), None)
        if data is None:
            return None
    return data

def edit_list_samples(path, rate):
    """The first sound track's first media edit, converted to samples (rounded) as the old reading did."""
    moov = child(open(path, "rb").read(), b"moov")
    mvhd = child(moov, b"mvhd")
    movie_scale = struct.unpack(">I", mvhd[12:16])[0]
    for kind, trak in boxes(moov):
        if kind != b"trak" or child(trak, b"mdia", b"hdlr")[8:12] != b"soun":
            continue
        elst = child(trak, b"edts", b"elst")
        if elst is None:
            return None
        duration = struct.unpack(">I", elst[8:12])[0]
        return (duration * rate + movie_scale // 2) // movie_scale
    return None

def source_samples(name):
    """Samples per channel of the WAV the file was encoded from (`sine-RATE-N.wav`), by a decode of it."""
    stem = name.rsplit(".", 1)[0].split("-")
    wav = os.path.join(work, "sine-%s-%s.wav" % (stem[-2], stem[-1]))
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", wav, "-f", "s16le", "-ac", "1", "-"],
                         capture_output=True, check=True)
    return len(pcm.stdout) // 2

manifest = {}
for name in sorted(os.listdir(out)):
    if name == "manifest.json":
        continue
    path = os.path.join(out, name)
    entry = {"size_bytes": os.path.getsize(path)}
    info = run_json("ffprobe", "-v", "error", "-count_packets", "-show_entries",
                    "stream=codec_type,codec_name,sample_rate,channels,duration_ts,nb_read_packets:"
                    "stream_disposition=attached_pic:format_tags=major_brand", "-of", "json", path)
    streams = info.get("streams", [])
    entry["video"] = any(s["codec_type"] == "video" and not s["disposition"]["attached_pic"] for s in streams)
    entry["major_brand"] = info["format"].get("tags", {}).get("major_brand")
    audio = [s for s in streams if s["codec_type"] == "audio"]
    if audio:
        s = audio[0]
        pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-map", "0:a:0", "-f", "s16le", "-ac", "1", "-"],
                             capture_output=True, check=True)
        rate = int(s["sample_rate"])
        entry.update({
            "codec": s["codec_name"],
            "sample_rate": rate,
            "channels": s["channels"],
            "duration_ts": int(s["duration_ts"]),
            "decoded_samples": len(pcm.stdout) // 2,
            "packets": int(s["nb_read_packets"]),
            "input_samples": source_samples(name),
            "edit_list_samples": edit_list_samples(path, rate),
        })
    manifest[name] = entry
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1, sort_keys=True)
    f.write("\n")
PY
ls -l "$out"
du -sh "$out"
