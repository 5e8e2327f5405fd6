#!/usr/bin/env bash
# ctest package.deb (tests/package/CMakeLists.txt): builds the two Debian packages of BUILD_DIR
# with CPack into a temporary directory and checks them. Nothing here touches the host's users,
# /etc or services: the packages go into throwaway roots, and the maintainer scripts run against
# stand-ins of the commands they call (see "maintainer scripts" below).
#   package_test.sh BUILD_DIR INSTALLED_DAEMON_DRIVER BUILD_TYPE
set -euo pipefail
build=$1
driver=$2
build_type=$3
cpack=${CPACK:-cpack}  # those of the CMake that configured BUILD_DIR (ctest passes both)
cmake=${CMAKE:-cmake}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
step() { echo "== $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

# --- build both packages ------------------------------------------------------------------------
step "cpack"
"$cpack" --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack"; }
shopt -s nullglob
debs=("$work"/out/*.deb)
((${#debs[@]} == 2)) || fail "expected 2 packages, got: ${debs[*]##*/}"
app=$(printf '%s\n' "$work"/out/ttbridge_*_*.deb)
sdk=$(printf '%s\n' "$work"/out/ttbridge-sdk-dev_*_all.deb)
[[ -f $app && -f $sdk ]] || fail "package names: ${debs[*]##*/}"
echo "${app##*/} ${sdk##*/}"

# --- contents, control fields, conffiles (dpkg-deb) ---------------------------------------------
step "contents"
dpkg-deb -c "$app" | awk '{print $6}' | sed 's#^\./#/#' >"$work/app.list"
dpkg-deb -c "$sdk" | awk '{print $6}' | sed 's#^\./#/#' >"$work/sdk.list"
expect() {  # expect LIST PATH...: each PATH is in the package
  local list=$1 p
  shift
  for p in "$@"; do grep -qxF "$p" "$work/$list" || fail "$list lacks $p"; done
}
expect app.list /usr/sbin/ttbridged /usr/sbin/ttb-plugin-host /usr/bin/ttbridge \
  /lib/systemd/system/ttbridged.service \
  /etc/ttbridge/ttbridged.yaml /etc/ttbridge/tenants/acme.yaml.example /var/lib/ttbridge/ \
  /usr/share/doc/ttbridge/copyright /usr/share/doc/ttbridge/changelog.Debian.gz \
  /usr/share/lintian/overrides/ttbridge
for p in checkr codility hackerrank testgorilla; do
  expect app.list "/usr/lib/ttbridge/plugins/$p.so"
done
expect sdk.list /usr/include/ttbridge/plugin.h /usr/include/ttbridge/plugin.hpp \
  /usr/lib/cmake/ttbridge-sdk/ttbridge-sdkConfig.cmake \
  /usr/lib/cmake/ttbridge-sdk/TtbridgePlugin.cmake \
  /usr/share/ttbridge/sdk/template/CMakeLists.txt \
  /usr/share/doc/ttbridge-sdk-dev/copyright /usr/share/doc/ttbridge-sdk-dev/changelog.Debian.gz \
  /usr/share/doc/ttbridge-sdk-dev/plugin-guide.md /usr/share/doc/ttbridge-sdk-dev/plugin-abi.md
# Only the product's plugins (not the test vendor of tests/), nothing under /usr/local, and each
# file in one package only.
! grep -q 'testvendor\|/usr/local/' "$work/app.list" "$work/sdk.list" || fail "test files packaged"
! grep -q '^/usr/include/' "$work/app.list" || fail "headers in the ttbridge package"
comm -12 <(grep -v '/$' "$work/app.list" | sort) <(grep -v '/$' "$work/sdk.list" | sort) |
  grep . && fail "files in both packages"

field() { dpkg-deb -f "$1" "$2"; }
[[ $(field "$app" Architecture) == "$(dpkg --print-architecture)" ]] || fail "ttbridge arch"
[[ $(field "$sdk" Architecture) == all ]] || fail "ttbridge-sdk-dev is not Architecture: all"
depends=$(field "$app" Depends)
for d in adduser libpq5 libc6 libssl3 libsqlite3-0 libyaml-cpp0.7; do  # dpkg-shlibdeps ran
  grep -qE "(^|, )${d}( |,|\$)" <<<"$depends" || fail "ttbridge Depends lacks $d: $depends"
done
# Poco and libsystemd are the tests' and the build's, not the daemon's (docs/building.md).
for d in libpoconet80 libpocofoundation80 libsystemd0; do
  if grep -qE "(^|, )${d}( |,|\$)" <<<"$depends"; then fail "ttbridge Depends on $d: $depends"; fi
done
# The daemon's allocator (docs/building.md, "jemalloc"): linked in every build that ships, and
# then a dependency of the package.
dpkg-deb -x "$app" "$work/root"
if readelf -d "$work/root/usr/sbin/ttbridged" | grep -q 'NEEDED.*\[libjemalloc\.so\.2\]'; then
  grep -qE "(^|, )libjemalloc2( |,|\$)" <<<"$depends" || fail "ttbridge Depends lacks libjemalloc2"
elif [[ $build_type == Release ]]; then
  fail "the Release ttbridged is not linked with jemalloc"
fi
dpkg-deb -e "$app" "$work/control"
diff <(sort "$work/control/conffiles") <(printf '%s\n' /etc/ttbridge/tenants/acme.yaml.example \
  /etc/ttbridge/ttbridged.yaml) || fail "conffiles"

dpkg-deb -x "$sdk" "$work/root"
unit=$work/root/lib/systemd/system/ttbridged.service
grep -qx 'ExecStart=/usr/sbin/ttbridged --config /etc/ttbridge/ttbridged.yaml' "$unit" ||
  fail "the unit does not start /usr/sbin/ttbridged"
grep -qx 'User=ttbridge' "$unit" || fail "the unit does not run as ttbridge"
! grep -q /usr/local "$unit" || fail "the unit names /usr/local"
# Stripped: no symbol table or debug sections left (CPACK_STRIP_FILES).
for elf in "$work/root/usr/sbin/ttbridged" "$work/root/usr/sbin/ttb-plugin-host" \
  "$work/root/usr/bin/ttbridge" "$work"/root/usr/lib/ttbridge/plugins/*.so; do
  ! readelf -S -W "$elf" | grep -q ' \.symtab \| \.debug_' || fail "${elf##*/} is not stripped"
done

# --- maintainer scripts ---------------------------------------------------------------------------
# dpkg installs, removes and purges the package in a root of its own (--root), running the
# scripts without chroot (as an unprivileged dpkg must). Their PATH holds only stand-ins that
# record their arguments, and the few tools dpkg itself needs: a command the scripts call that has
# no stand-in fails the install instead of reaching the host.
step "maintainer scripts"
for s in postinst prerm postrm; do sh -n "$work/control/$s" || fail "sh -n $s"; done
dpkgroot=$work/dpkgroot
mkdir -p "$dpkgroot/var/lib/dpkg/updates" "$dpkgroot/var/lib/dpkg/info" "$work/stand-ins" \
  "$work/tools"
touch "$dpkgroot/var/lib/dpkg/status"
for c in adduser dpkg-statoverride chown chmod deb-systemd-helper deb-systemd-invoke systemctl; do
  cat >"$work/stand-ins/$c" <<STANDIN
#!/bin/sh
echo "\${0##*/} \$*" >>"$work/calls"
case "\${0##*/} \$1" in  # the answers of a host that never had the package
  "dpkg-statoverride --list" | "deb-systemd-helper debian-installed") exit 1 ;;
esac
exit 0
STANDIN
  chmod +x "$work/stand-ins/$c"
done
for t in sh rm tar diff dpkg-deb dpkg-split ldconfig start-stop-daemon; do
  ln -s "$(command -v $t)" "$work/tools/$t"
done
dpkg_root() {
  PATH="$work/stand-ins:$work/tools" "$(command -v dpkg)" --root="$dpkgroot" --log=/dev/null \
    --force-script-chrootless --force-not-root --force-depends "$@" >>"$work/dpkg.log" 2>&1 ||
    { cat "$work/dpkg.log" >&2; fail "dpkg $*"; }
}
dpkg_root -i "$app" "$sdk"
grep -qx 'adduser --system --group --home /var/lib/ttbridge --no-create-home --quiet ttbridge' \
  "$work/calls" || fail "postinst did not create the ttbridge user: $(cat "$work/calls")"
grep -qx 'chown ttbridge:ttbridge /var/lib/ttbridge' "$work/calls" || fail "postinst chown"
grep -qx 'chmod 0700 /var/lib/ttbridge' "$work/calls" || fail "postinst chmod"
grep -qx 'deb-systemd-helper update-state ttbridged.service' "$work/calls" || fail "postinst unit"
! grep -q 'deb-systemd-invoke \(start\|restart\)' "$work/calls" ||
  fail "postinst started the service on a first install"
[[ $(dpkg-query --admindir="$dpkgroot/var/lib/dpkg" -W -f='${Status}' ttbridge) == \
  "install ok installed" ]] || fail "dpkg does not record ttbridge as installed"
dpkg_root -r ttbridge
[[ -f $dpkgroot/etc/ttbridge/ttbridged.yaml && ! -e $dpkgroot/usr/sbin/ttbridged ]] ||
  fail "remove: the conffiles go or the program stays"
dpkg_root -P ttbridge
[[ ! -e $dpkgroot/etc/ttbridge/ttbridged.yaml ]] || fail "purge kept the conffiles"
grep -qx 'deb-systemd-helper purge ttbridged.service' "$work/calls" || fail "postrm purge"

# --- the installed programs ---------------------------------------------------------------------
step "installed daemon against the fakes"
"$driver" "$work/root"
step "installed CLI on the store the daemon wrote"
export TTBRIDGE_TT_API_KEY=k TTBRIDGE_TT_WEBHOOK_SECRET=s PACKAGE_TEST_CHECKR_KEY=c
config=$work/root/etc/ttbridge/ttbridged.yaml
"$work/root/usr/bin/ttbridge" config check --config "$config"
orders=$("$work/root/usr/bin/ttbridge" orders list --config "$config" --json)
if ! grep -q '"tenant": *"acme"' <<<"$orders" || ! grep -q '"provider": *"checkr"' <<<"$orders"; then
  fail "ttbridge orders list shows no checkr order of acme: $orders"
fi
step "the packaged SDK, found by find_package"
"$cmake" -S "$work/root/usr/share/ttbridge/sdk/template" -B "$work/template" \
  -DCMAKE_PREFIX_PATH="$work/root/usr" >"$work/template.log" 2>&1 ||
  { cat "$work/template.log" >&2; fail "configuring the template against the package"; }

# --- lintian --------------------------------------------------------------------------------------
# Errors and warnings fail; info tags too in a Release tree, the one packages are made from (a
# Debug tree lacks _FORTIFY_SOURCE: hardening-no-fortify-functions). The overrides
# (packaging/deb/*.lintian-overrides) are listed with their reasons in docs/building.md.
step "lintian"
command -v lintian >/dev/null || fail "lintian is not installed (scripts/setup installs it)"
fail_on=error,warning
[[ $build_type != Release ]] || fail_on+=,info
lint_status=0
lintian --display-info --fail-on "$fail_on" "$app" "$sdk" \
  >"$work/lintian.log" 2>&1 || lint_status=$?
grep -v '^running with root privileges' "$work/lintian.log" || true
((lint_status == 0)) || fail "lintian (exit $lint_status)"
echo "package test: ok"
