# Sourced by tools/slurm-verify and tools/parallel-verify: the list of images, the results
# folder, and the batch's exit code. Not a command of its own.
#
# A results folder holds one run's list (images.list: absolute paths, one a line, in list order)
# and the *.jsonl files exhibit verify writes, one per writer; `exhibit report DIR` merges them.

# One-line usage error, exit 2 (exhibit's usage code); $prog is the sourcing tool's name.
die() {
  # shellcheck disable=SC2154
  echo "$prog: $*" >&2
  exit 2
}

need_value() {
  if (($# < 2)) || [[ -z $2 ]]; then die "$1 needs a value"; fi
}

positive_int() {  # NAME VALUE
  [[ $2 =~ ^[1-9][0-9]{0,5}$ ]] || die "$1 must be a whole number from 1 to 999999, not '$2'"
}

# The exhibit binary as an absolute path (the jobs do not depend on the caller's PATH).
resolve_exhibit() {
  local found
  found=$(command -v -- "$1" 2>/dev/null) || die "--exhibit: $1 is not an executable (give its path)"
  [[ -f $found && -x $found ]] || die "--exhibit: $1 is not an executable (give its path)"
  [[ $found == /* ]] || found="$PWD/$found"
  printf '%s\n' "$found"
}

# Reads the list FILE (one image's first file a line; blank lines skipped), checks every image
# exists once, and writes its absolute paths to DIR/images.list. A folder that already holds
# results of another list is refused: its results files belong to that list's slices or jobs.
prepare_list() {  # LIST DIR
  local list=$1 dir=$2 line n=0 path
  [[ -f $list && -r $list ]] || die "--list: $list is not a readable file"
  local -a paths=()
  while IFS= read -r line || [[ -n $line ]]; do
    n=$((n + 1))
    [[ -z ${line//[[:space:]]/} ]] && continue
    path=$line
    [[ $path == /* ]] || path="$PWD/$path"
    [[ -f $path ]] || die "--list $list, line $n: $line is not a file (list each image's first file: BASE.E01, BASE.Ex01, BASE.zst, BASE.001, BASE.raw)"
    paths+=("$path")
  done <"$list"
  ((${#paths[@]} > 0)) || die "--list: $list names no image"
  local twice
  twice=$(printf '%s\n' "${paths[@]}" | sort | uniq -d | head -n 1)
  [[ -z $twice ]] || die "--list: $twice is listed twice"
  mkdir -p -- "$dir" || die "--results-dir: cannot create $dir"
  printf '%s\n' "${paths[@]}" >"$dir/images.list.new" || die "--results-dir: cannot write in $dir"
  if [[ -e $dir/images.list ]] && has_results "$dir" && ! cmp -s "$dir/images.list" "$dir/images.list.new"; then
    rm -f -- "$dir/images.list.new"
    die "--results-dir: $dir holds the results of another list; give a new folder (exhibit report merges several)"
  fi
  mv -- "$dir/images.list.new" "$dir/images.list"
}

has_results() { [[ -n $(find "$1" -maxdepth 1 -name '*.jsonl' -print -quit) ]]; }

# The images of DIR/images.list that no results file in DIR holds a line for (a line cut short by a
# crash does not count), one a line.
without_result() {  # DIR
  local dir=$1
  shopt -s nullglob
  local files=("$dir"/*.jsonl)
  shopt -u nullglob
  if ((${#files[@]} == 0)); then
    cat -- "$dir/images.list"
    return
  fi
  jq -R -r 'fromjson? | .batch.path? // empty | strings' "${files[@]}" | sort -u >"$dir/.with-result"
  sort -- "$dir/images.list" | comm -23 - "$dir/.with-result"
  rm -f -- "$dir/.with-result"
}

# exhibit's order of exit codes: 1 (a failed verification) > 3 (could not complete) > 2 > 0.
worse() {
  local rank=(0 3 1 2)  # rank of 0, 1, 2, 3
  local a=$1 b=$2
  ((a > 3)) && a=3
  ((b > 3)) && b=3
  if ((rank[a] >= rank[b])); then echo "$a"; else echo "$b"; fi
}

# After the run: exhibit report over DIR, and images the list names but no result holds (their
# task or job stopped before them: not done, exit 3). Exits with the batch's code.
finish() {  # DIR EXHIBIT
  local dir=$1 exhibit=$2 missing code=0
  missing=$(without_result "$dir")
  if has_results "$dir"; then
    "$exhibit" report "$dir"
    code=$?
  fi
  if [[ -n $missing ]]; then
    echo "$prog: $(printf '%s\n' "$missing" | wc -l) of $(wc -l <"$dir/images.list") images have no result yet (first: $(printf '%s\n' "$missing" | head -n 1)); run the same command again to verify them" >&2
    code=$(worse "$code" 3)
  fi
  exit "$code"
}
