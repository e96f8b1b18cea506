#!/usr/bin/env bash
# Regenerates the tiny media of the test show that uses every Podcasting 2.0 tag (`tests/shows/every-tag/`):
#   media/cover.jpg         1400×1400 RGB JPEG cover art (Apple's smallest size), one colour
#   media/banner.jpg        1600×400 RGB JPEG (a 4/1 banner for `podcast:image`)
#   media/episode-1.mp3     20 s of a 440 Hz tone, 16 kbit/s mono MP3 (lame)
#   media/episode-1.opus    the same tone as Opus, the alternate rendition
#   media/trailer.mp3       5 s of a 660 Hz tone, 16 kbit/s mono MP3: the trailer
#   media/episode-1.vtt     a two-cue WebVTT transcript within those 20 s
#   media/episode-1.chapters.txt  two chapters as a `00:00 Title` list
# Needs ffmpeg and lame (`apt-get install ffmpeg lame`). The files are small on purpose: the show tests the
# feed's tags, not audio.
set -euo pipefail
cd "$(dirname "$0")/../tests/shows/every-tag/media"

ffmpeg -loglevel error -y -f lavfi -i "color=c=0x1d3557:s=1400x1400" -frames:v 1 -q:v 8 cover.jpg
ffmpeg -loglevel error -y -f lavfi -i "color=c=0xe63946:s=1600x400" -frames:v 1 -q:v 8 banner.jpg
ffmpeg -loglevel error -y -f lavfi -i "sine=frequency=440:sample_rate=22050:duration=20" -f wav - |
  lame --quiet -m m -b 16 --resample 22.05 - episode-1.mp3
ffmpeg -loglevel error -y -f lavfi -i "sine=frequency=660:sample_rate=22050:duration=5" -f wav - |
  lame --quiet -m m -b 16 --resample 22.05 - trailer.mp3
ffmpeg -loglevel error -y -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=20" -c:a libopus -b:a 12k episode-1.opus
cat > episode-1.vtt <<'VTT'
WEBVTT

00:00:00.000 --> 00:00:08.000
A tone, for the test show.

00:00:08.000 --> 00:00:16.000
Every tag of the namespace, once.
VTT
cat > episode-1.chapters.txt <<'TXT'
00:00 The tone
00:10 The end of the tone
TXT
