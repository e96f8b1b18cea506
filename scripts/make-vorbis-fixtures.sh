#!/usr/bin/env bash
# Regenerates tests/fixtures/audio/vorbis/: small Ogg (Vorbis, Opus, FLAC) and FLAC files made by ffmpeg and
# tagged by ffmpeg (`-metadata`, chapters) and mutagen (pictures, chapter comments), chained, multiplexed and
# cut-down Ogg files, and manifest.json with each file's truth from independent readers:
#   samples        decoded samples per channel, from a full decode by ffmpeg (`-f s16le`); for a chained file
#                  the sum of its links' own decodes (ffmpeg's decode of a chained Vorbis file keeps 128
#                  samples of overlap at the join, so it is recorded beside as `ffmpeg_chained_samples`, and
#                  libvorbisfile's, through sox, as `sox_chained_samples`)
#   codec_name, sample_rate, channels, chapters   from ffprobe (the first audio stream)
#   tags           from mutagen: the first value of each Vorbis comment castkit reads, the picture count
#                  and the number of CHAPTERnnn comments
# Needs ffmpeg/ffprobe (with libvorbis and libopus), sox and python3 with mutagen.
set -euo pipefail
cd "$(dirname "$0")/.."
out=tests/fixtures/audio/vorbis
mkdir -p "$out"
rm -f "$out"/*.ogg "$out"/*.opus "$out"/*.oga "$out"/*.flac "$out"/manifest.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ff() { ffmpeg -v error -y -fflags +bitexact "$@"; }

# Sources: two tones, 1.5 s and 2.25 s, stereo at 44.1 kHz (and one at 48 kHz).
ff -f lavfi -i "sine=frequency=440:duration=1.5:sample_rate=44100" -ac 2 "$work/one.wav"
ff -f lavfi -i "sine=frequency=660:duration=2.25:sample_rate=44100" -ac 2 "$work/two.wav"
ff -f lavfi -i "sine=frequency=550:duration=2:sample_rate=48000" -ac 2 "$work/two48.wav"
ff -f lavfi -i "sine=frequency=440:duration=6:sample_rate=44100" -ac 2 "$work/long.wav"
ff -f lavfi -i "color=c=0x2e8b57:s=8x8:d=1" -frames:v 1 "$work/cover.png"
# Chapters for ffmpeg (it writes them as CHAPTERnnn comments into Opus).
cat > "$work/chapters.txt" <<'EOF'
;FFMETADATA1
[CHAPTER]
TIMEBASE=1/1000
START=0
END=500
title=Intro
[CHAPTER]
TIMEBASE=1/1000
START=500
END=1500
title=Main
EOF
tags=(-metadata title="Épisode 1" -metadata artist="Artist" -metadata album="The Show" -metadata track=3
      -metadata date=2024-05-01 -metadata genre=Podcast -metadata comment="A comment")

# Tagged by ffmpeg (comment → DESCRIPTION), then mutagen adds a picture (and chapters where ffmpeg wrote none).
ff -i "$work/one.wav" -c:a libvorbis -q:a 0 "${tags[@]}" "$out/tagged.ogg"
ff -i "$work/one.wav" -i "$work/chapters.txt" -map 0:a -map_chapters 1 -c:a libopus -b:a 24k "${tags[@]}" \
   "$out/tagged.opus"
ff -i "$work/one.wav" -ac 1 -ar 8000 -c:a flac "${tags[@]}" "$out/tagged.flac"
ff -i "$work/one.wav" -ac 1 -ar 8000 -c:a flac "${tags[@]}" "$out/tagged-flac.oga"

# Chains: two links back to back (each link is a whole file; the second has other tags).
ff -i "$work/one.wav" -c:a libvorbis -q:a 0 -metadata title="Link one" "$work/one.ogg"
ff -i "$work/two.wav" -c:a libvorbis -q:a 0 -metadata title="Link two" "$work/two.ogg"
cat "$work/one.ogg" "$work/two.ogg" > "$out/chained.ogg"
ff -i "$work/one.wav" -c:a libopus -b:a 24k -metadata title="Link one" "$work/one.opus"
ff -i "$work/two.wav" -c:a libopus -b:a 24k -metadata title="Link two" "$work/two.opus"
cat "$work/one.opus" "$work/two.opus" > "$out/chained.opus"
# The same link twice: the same serial number in both links.
cat "$work/one.opus" "$work/one.opus" > "$out/chained-same-serial.opus"
# Vorbis at 48 kHz, then Opus (48 kHz granules): one rate, two codecs.
ff -i "$work/two48.wav" -c:a libvorbis -q:a 0 "$work/two48.ogg"
cat "$work/two48.ogg" "$work/one.opus" > "$out/chained-vorbis-opus.ogg"
# Vorbis at 44.1 kHz, then Opus: the links differ in rate, so the file has no single length.
cat "$work/one.ogg" "$work/one.opus" > "$out/chained-rates.ogg"

# Multiplexed (grouped): two Vorbis streams played together, and Theora video with Vorbis. Not chains.
ff -i "$work/one.wav" -i "$work/two.wav" -map 0 -map 1 -c:a libvorbis -q:a 0 "$out/grouped.ogg"
ff -f lavfi -i "testsrc=s=32x24:d=1.5:r=5" -i "$work/one.wav" -map 0 -map 1 -c:v libtheora -q:v 1 \
   -c:a libvorbis -q:a 0 "$out/video.ogg"

# Streams that start at a granule position above 0 (cut out of longer streams, as a stream recorder does).
ff -i "$work/long.wav" -c:a libvorbis -q:a 0 "$work/long.ogg"
ff -i "$work/long.wav" -c:a libopus -b:a 24k "$work/long.opus"

python3 - "$out" "$work" <<'PY'
import base64, os, struct, sys
from mutagen.flac import FLAC, Picture
from mutagen.oggflac import OggFLAC
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
out, work = sys.argv[1:3]

def picture():
    p = Picture()
    p.type = 3
    p.mime = "image/png"
    p.desc = "Cover"
    p.data = open(os.path.join(work, "cover.png"), "rb").read()
    p.width = p.height = 8
    p.depth = 24
    return p

chapters = {"CHAPTER001": "00:00:00.000", "CHAPTER001NAME": "Intro",
            "CHAPTER002": "00:00:00.500", "CHAPTER002NAME": "Main"}
for name, kind in (("tagged.ogg", OggVorbis), ("tagged.opus", OggOpus)):
    f = kind(os.path.join(out, name))
    f["METADATA_BLOCK_PICTURE"] = [base64.b64encode(picture().write()).decode("ascii")]
    if name == "tagged.ogg":
        f.update(chapters)
    f.save()
f = FLAC(os.path.join(out, "tagged.flac"))
f.add_picture(picture())
f.update(chapters)
f.save()
f = OggFLAC(os.path.join(out, "tagged-flac.oga"))
f["METADATA_BLOCK_PICTURE"] = [base64.b64encode(picture().write()).decode("ascii")]
f.save()

# Page surgery: keep the header pages and the audio pages from the third on, renumbered, CRCs recomputed.
def crc_table():
    table = []
    for i in range(256):
        r = i << 24
        for _ in range(8):
            r = ((r << 1) ^ 0x04C11DB7) if r & 0x80000000 else (r << 1)
            r &= 0xFFFFFFFF
        table.append(r)
    return table
TABLE = crc_table()
def crc(data):
    c = 0
    for b in data:
        c = ((c << 8) & 0xFFFFFFFF) ^ TABLE[((c >> 24) & 0xFF) ^ b]
    return c
def pages(data):
    pos = 0
    while pos < len(data):
        assert data[pos:pos + 4] == b"OggS"
        n = data[pos + 26]
        end = pos + 27 + n + sum(data[pos + 27:pos + 27 + n])
        yield bytearray(data[pos:end])
        pos = end
def granule(page):
    return struct.unpack("<q", page[6:14])[0]
def renumbered(page, sequence):
    page[18:22] = struct.pack("<I", sequence)
    page[22:26] = b"\0\0\0\0"
    page[22:26] = struct.pack("<I", crc(bytes(page)))
    return bytes(page)
for src, dst in (("long.ogg", "start-offset.ogg"), ("long.opus", "start-offset.opus")):
    all_pages = list(pages(open(os.path.join(work, src), "rb").read()))
    headers = [p for p in all_pages if granule(p) == 0]
    audio = [p for p in all_pages if granule(p) != 0][2:]
    while audio[0][5] & 1:  # start on a page that starts a packet
        audio = audio[1:]
    with open(os.path.join(out, dst), "wb") as f:
        f.write(b"".join(renumbered(p, i) for i, p in enumerate(headers + audio)))
PY

# Truth.
python3 - "$out" "$work" <<'PY'
import json, os, subprocess, sys
import mutagen
out, work = sys.argv[1:3]

def decoded(path, stream="0:a:0"):
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-map", stream, "-f", "s16le", "-ac", "1", "-"],
                         capture_output=True, check=True).stdout
    return len(pcm) // 2

def sox_decoded(path):
    pcm = subprocess.run(["sox", path, "-t", "s16", "-c", "1", "-"], capture_output=True, check=True).stdout
    return len(pcm) // 2

links = {
    "chained.ogg": ["one.ogg", "two.ogg"],
    "chained.opus": ["one.opus", "two.opus"],
    "chained-same-serial.opus": ["one.opus", "one.opus"],
    "chained-vorbis-opus.ogg": ["two48.ogg", "one.opus"],
    "chained-rates.ogg": ["one.ogg", "one.opus"],
}
manifest = {}
for name in sorted(os.listdir(out)):
    if name in ("manifest.json", "README.md"):
        continue
    path = os.path.join(out, name)
    entry = {"size_bytes": os.path.getsize(path)}
    probe = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
         "stream=codec_name,sample_rate,channels", "-show_chapters", "-of", "json", path],
        capture_output=True, text=True, check=True).stdout)
    stream = probe["streams"][0]
    entry["codec_name"] = stream["codec_name"]
    entry["sample_rate"] = int(stream["sample_rate"])
    entry["channels"] = stream["channels"]
    entry["ffprobe_chapters"] = len(probe.get("chapters", []))
    if name in links:
        entry["links"] = [decoded(os.path.join(work, link)) for link in links[name]]
        entry["ffmpeg_chained_samples"] = decoded(path)
        if name != "chained-rates.ogg":
            entry["samples"] = sum(entry["links"])
        if name == "chained.ogg":
            entry["sox_chained_samples"] = sox_decoded(path)
    else:
        entry["samples"] = decoded(path)
    if name.startswith("start-offset") and name.endswith(".ogg"):
        entry["sox_samples"] = sox_decoded(path)
    f = mutagen.File(path)
    if f is not None and f.tags is not None:
        first = lambda key: (f.tags.get(key) or [None])[0]
        pictures = len(getattr(f, "pictures", [])) + len(f.tags.get("metadata_block_picture", []))
        entry["tags"] = {
            "title": first("title"), "artist": first("artist"), "album": first("album"),
            "track": first("tracknumber"), "date": first("date"), "genre": first("genre"),
            "comment": first("comment") or first("description"),
            "pictures": pictures,
            "chapters": sum(1 for k in f.tags.keys() if len(k) == 10 and k.lower().startswith("chapter")
                            and k[7:].isdigit()),
        }
    manifest[name] = entry
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=2, sort_keys=True, ensure_ascii=False)
    f.write("\n")
PY
echo "wrote $(ls "$out" | wc -l) files to $out"
