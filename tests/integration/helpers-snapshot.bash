# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for snapshot.bats.

# snap_teardown: unmount everything mounted below $DK_ROOT, whatever state
# the test left.
snap_teardown() {
	umount_below "$DK_ROOT"
}

# make_base: image "base" = busybox + /data/{a,b,c} + /data2/{x,sub/y};
# prints nothing, fails loudly.
make_base() {
	local src=$BATS_TEST_TMPDIR/base-src
	mkdir -p "$src/data" "$src/data2/sub" &&
		echo a >"$src/data/a" && echo b >"$src/data/b" && echo c >"$src/data/c" &&
		echo x >"$src/data2/x" && echo y >"$src/data2/sub/y" &&
		layer_tar "$src" "$BATS_TEST_TMPDIR/base.tar" &&
		commit --base busybox --tag base --timestamp 0 "$BATS_TEST_TMPDIR/base.tar" >/dev/null
}

# make_changes ROOTFS: the standard change set on a "base" container: new,
# modified and deleted files, a deleted then recreated directory (data2),
# an emptied directory (data), a hardlink pair, a symlink, a file with
# xattrs, a permission-only change (etc/group).
make_changes() {
	local r=$1
	mkdir -p "$r/new/dir" &&
		echo new >"$r/new/dir/file" &&
		echo changed >>"$r/etc/passwd" &&
		rm "$r/bin/ls" &&
		rm -f "$r/data/a" "$r/data/b" "$r/data/c" &&
		rm -rf "$r/data2" && mkdir -p "$r/data2" && echo fresh >"$r/data2/fresh" &&
		ln "$r/new/dir/file" "$r/new/hardlink" &&
		ln -s ../bin/busybox "$r/new/symlink" &&
		setfattr -n user.dk.test -v hello "$r/new/dir/file" &&
		chmod 0600 "$r/etc/group"
}

# tree ROOT: a listing of every entry with type, mode, owner, size, link
# target and xattrs (no times), sorted.
tree() {
	(cd "$1" && find . -mindepth 1 -printf '%p %y %m %U:%G %s %n %l\n' |
		awk '$2 == "d" { $5 = "-"; $6 = "-" } { print }' | sort)
	(cd "$1" && getfattr -R -h -d -m '^user\.' . 2>/dev/null | grep -v '^$' || true)
}
