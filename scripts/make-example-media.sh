#!/usr/bin/env bash
# Regenerates the example show's media from the seed episode page (`../shared/seed/`):
#   media/5.4 What are the goals of rural revitalization.mp3           synthesised speech of the episode's text
#   media/5.4 What are the goals of rural revitalization.vtt           its transcript, one cue per sentence
#   media/5.4 What are the goals of rural revitalization.chapters.txt  its chapters, one per section
#   media/cover.jpg                                                    1400×1400 RGB JPEG cover art
# Needs python3, espeak-ng, lame and ImageMagick (`apt-get install espeak-ng lame imagemagick`).
# The real CGTN audio is not available here: this is honest test audio with a real, decodable duration, and
# the transcript and chapter times are measured from the synthesised samples, not guessed.
set -euo pipefail
cd "$(dirname "$0")/.."

seed=$(ls ../shared/seed/*.txt 2>/dev/null | head -n 1 || true)
if [ -z "$seed" ]; then
  echo "error: the seed episode page is not in ../shared/seed/" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stem="media/5.4 What are the goals of rural revitalization"

# Speak each sentence on its own, join the samples, and write the transcript and chapters from the
# sample counts. The spoken text: the show and episode title, then the page's episode text from the
# quotation to the presenter line (the editor's note describes the series and stays out of the audio).
python3 - "$seed" "$work" "$stem" <<'PY'
import re, subprocess, sys, wave

seed, work, stem = sys.argv[1:4]
page = open(seed, encoding="utf-8").read()
start = page.index("Rural revitalization is a major strategy")
end = page.index("presented by Shen Ting.") + len("presented by Shen Ting.")
lines = [l.strip() for l in page[start:end].splitlines() if l.strip()]
quote, attribution, *paragraphs = lines
attribution = attribution.lstrip("- ").strip()

# (chapter title, sentences)
sections = [
    ("Introduction", ["How China Works: Charting the Future.", "Episode 5.4.",
                      "What are the goals of rural revitalization?"]),
    ("In the President's words", [quote, "— " + attribution + "."]),
    ("A new development stage", paragraphs[0]),
    ("Agriculture and rural areas come first", paragraphs[1]),
    ("As hard as the fight against poverty", paragraphs[2]),
    ("Common prosperity", paragraphs[3]),
    ("Source and credits", paragraphs[4] + " " + paragraphs[5]),
]

def sentences(text):
    if isinstance(text, list):
        return text
    return [s for s in re.split(r"(?<=[.?!)])\s+", text) if s]

def stamp(samples, rate):
    ms = samples * 1000 // rate
    return "%02d:%02d:%02d.%03d" % (ms // 3600000, ms // 60000 % 60, ms // 1000 % 60, ms % 1000)

out = None
position = 0
cues, chapters = [], []
for title, text in sections:
    chapters.append((position, title))
    for sentence in sentences(text):
        part = f"{work}/part.wav"
        spoken = sentence.lstrip("— ")
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", part, spoken], check=True)
        with wave.open(part) as w:
            frames = w.readframes(w.getnframes())
            if out is None:
                out = wave.open(f"{work}/speech.wav", "wb")
                out.setparams(w.getparams())
                rate = w.getframerate()
            n = w.getnframes()
        out.writeframes(frames)
        cues.append((position, position + n, sentence))
        position += n
out.close()

with open(stem + ".vtt", "w", encoding="utf-8") as f:
    f.write("WEBVTT\n")
    for i, (a, b, text) in enumerate(cues, 1):
        f.write(f"\n{i}\n{stamp(a, rate)} --> {stamp(b, rate)}\n{text}\n")
with open(stem + ".chapters.txt", "w", encoding="utf-8") as f:
    for a, title in chapters:
        f.write(f"{stamp(a, rate)} {title}\n")
PY

# espeak-ng writes 22.05 kHz mono; lame encodes it as MPEG-2 Layer III at 16 kHz, ABR 16 kbit/s (with a Xing
# and LAME header, so gapless players trim the encoder delay and the timings above hold): about 300 KB.
lame --quiet -m m --abr 16 --resample 16 \
  --tt "What are the goals of rural revitalization?" --ta "Shen Ting" \
  --tl "How China Works – Charting the Future" --tn 4 --ty 2022 --tg Podcast \
  "$work/speech.wav" "$stem.mp3"

# Cover art: Apple wants square RGB JPEG/PNG, 1400–3000 px. `-type TrueColor` keeps three colour components.
convert -size 1400x1400 gradient:'#c8102e-#3b0a14' \
  -font DejaVu-Sans-Bold -fill white -gravity north \
  -pointsize 120 -annotate +0+330 'How China Works' \
  -font DejaVu-Sans -pointsize 72 -annotate +0+520 'Charting the Future' \
  -fill '#f2c14e' -draw 'rectangle 450,690 950,700' \
  -fill white -pointsize 56 -annotate +0+780 'Season 5' \
  -pointsize 40 -gravity south -annotate +0+120 'CGTN · example artwork made by castkit' \
  -type TrueColor -colorspace sRGB -strip -quality 85 media/cover.jpg

ls -l media/
