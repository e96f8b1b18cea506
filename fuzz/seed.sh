#!/bin/sh
# Fills fuzz/corpus/<target>/ with seed inputs from the test fixtures and the shared feed corpus.
# Usage: fuzz/seed.sh [shared-feed-corpus-dir]   (default: ../shared/corpus/feeds beside the checkout)
# The corpus is not committed (fuzz/.gitignore); run this again after a fresh clone.
set -euf  # -f: the name patterns below must reach find unexpanded
fuzz_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$fuzz_dir")
shared=${1:-$(dirname "$repo")/shared/corpus/feeds}
fixtures=$repo/tests/fixtures
corpus=$fuzz_dir/corpus

seed() { # seed TARGET FILE...: copies each file in, named by its content hash (duplicates collapse)
    target=$1; shift
    mkdir -p "$corpus/$target"
    for f in "$@"; do
        [ -f "$f" ] || continue
        cp "$f" "$corpus/$target/$(sha1sum "$f" | cut -c1-40)"
    done
}
files() { # files DIR PATTERN...: every file under DIR whose name matches one of the patterns
    dir=$1; shift
    [ -d "$dir" ] || return 0
    expr=""
    for p in "$@"; do expr="$expr -o -name $p"; done
    # shellcheck disable=SC2086
    find "$dir" -type f \( -false $expr \) -size -1024k
}

seed probe $(files "$fixtures" '*.mp3' '*.mp2' '*.m4a' '*.mp4' '*.mov' '*.ogg' '*.oga' '*.opus' '*.flac' '*.wav')
seed tag $(files "$fixtures" '*.mp3')
seed catalogue $(files "$fixtures" '*.toml') $(files "$repo/tests/shows" '*.toml') "$repo/episodes.toml"
seed validate $(files "$fixtures" '*.xml' '*.rss') $(files "$shared" '*.xml' '*.rss')
seed import $(files "$fixtures" '*.xml' '*.rss') $(files "$shared" '*.xml' '*.rss')
seed chapters $(files "$repo/tests" '*chapters*.json' '*chapters*.txt' '*.psc')
seed transcripts $(files "$repo/tests" '*.srt' '*.vtt' '*transcript*.json')
# diff: pairs of feeds joined by a NUL byte (the target's input format); a feed with itself, and neighbours.
mkdir -p "$corpus/diff"
previous=""
for f in $(files "$shared" '*.xml' '*.rss' | sort | head -n 400); do
    name=$(sha1sum "$f" | cut -c1-40)
    { cat "$f"; printf '\000'; cat "$f"; } > "$corpus/diff/self-$name"
    if [ -n "$previous" ]; then
        { cat "$previous"; printf '\000'; cat "$f"; } > "$corpus/diff/pair-$name"
    fi
    previous=$f
done
set +f
for t in "$corpus"/*; do echo "$(basename "$t"): $(ls "$t" | wc -l) seeds"; done
