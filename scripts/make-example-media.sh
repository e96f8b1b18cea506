#!/usr/bin/env bash
# Regenerates the example show's media from the seed episode page (`../shared/seed/`):
#   media/5.4 What are the goals of rural revitalization.mp3  synthesised speech of the episode's text
#   media/cover.jpg                                           1400×1400 RGB JPEG cover art
# Needs espeak-ng, lame and ImageMagick (`apt-get install espeak-ng lame imagemagick`).
# The real CGTN audio is not available here: this is honest test audio with a real, decodable duration.
set -euo pipefail
cd "$(dirname "$0")/.."

seed=$(ls ../shared/seed/*.txt 2>/dev/null | head -n 1 || true)
if [ -z "$seed" ]; then
  echo "error: the seed episode page is not in ../shared/seed/" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The spoken text: the show and episode title, then the page's episode text from the quotation to the
# presenter line (the editor's note describes the series and stays out of the episode audio).
{
  echo "How China Works: Charting the Future. Episode 5.4. What are the goals of rural revitalization?"
  awk '/^Rural revitalization is a major strategy/ {on=1} on {print} /presented by Shen Ting/ {exit}' "$seed" \
    | sed 's/^ *- *//'
} > "$work/speech.txt"

# espeak-ng writes 22.05 kHz mono; lame encodes it as MPEG-2 Layer III at 16 kHz, ABR 16 kbit/s (with a Xing
# and LAME header): about 300 KB for the 2 min 20 s episode, small enough to commit, clear enough to follow.
espeak-ng -v en-us -s 160 -f "$work/speech.txt" -w "$work/speech.wav"
lame --quiet -m m --abr 16 --resample 16 \
  --tt "What are the goals of rural revitalization?" --ta "Shen Ting" \
  --tl "How China Works – Charting the Future" --tn 4 --ty 2022 --tg Podcast \
  "$work/speech.wav" "media/5.4 What are the goals of rural revitalization.mp3"

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
