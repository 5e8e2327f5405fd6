# Debian packages with CPack (`scripts/package` writes them to build/*.deb; docs/building.md):
#   ttbridge          the daemon, the CLI, the vendor plugins, the systemd unit, the example config
#   ttbridge-sdk-dev  the SDK headers, the CMake package ttbridge-sdk, the plugin template and the
#                     plugin docs (/usr/share/doc/ttbridge-sdk-dev/plugin-{guide,abi}.md)
# The packages follow Debian's file system layout, which differs from `cmake --install`'s
# (/usr/local, cmake/Install.cmake): the daemon in /usr/sbin, the config in /etc/ttbridge, the
# unit in /lib/systemd/system, the store in /var/lib/ttbridge. Those rules belong to the component
# `ttbridge` and are EXCLUDE_FROM_ALL, so a plain `cmake --install` never writes to /etc or /lib.
# The SDK package reuses the `sdk` component of sdk/CMakeLists.txt as it is.

set(TTB_DEB_DIR ${PROJECT_SOURCE_DIR}/packaging/deb)
set(TTB_DEB_PLUGINDIR lib/ttbridge/plugins)  # under /usr
set(TTB_DEB_STATEDIR /var/lib/ttbridge)
set(TTB_DEB_CONFDIR /etc/ttbridge)
set(TTB_DEB_REVISION 1)  # the Debian revision: bump it for a packaging-only change
set(TTB_DEB_MAINTAINER "ttbridge maintainers <maintainers@ttbridge.invalid>" CACHE STRING
    "Maintainer field (and changelog signature) of the Debian packages")
set(_deb_out ${CMAKE_BINARY_DIR}/deb)

# ttb_deb_rewrite(IN OUT FROM TO [FROM TO]...): OUT is IN with each FROM replaced by its TO. A FROM
# that is missing stops the configure step, so the packaged copy cannot silently keep a path of
# the source tree when the source file changes. No ";" in FROM or TO: CMake splits arguments there.
function(ttb_deb_rewrite in out)
  file(READ ${in} text)
  set(pairs ${ARGN})
  while(pairs)
    list(POP_FRONT pairs from to)
    string(FIND "${text}" "${from}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "cmake/Package.cmake: '${from}' is no longer in ${in}; update the rewrite")
    endif()
    string(REPLACE "${from}" "${to}" text "${text}")
  endwhile()
  file(WRITE ${out} "${text}")
endfunction()

# --- package ttbridge ---------------------------------------------------------------------------
# /usr/sbin: ttbridged is a system daemon run by systemd as its own user, not a command for users
# (as sshd and nginx). The operator's CLI is /usr/bin/ttbridge.
install(TARGETS ttbridged RUNTIME DESTINATION sbin COMPONENT ttbridge EXCLUDE_FROM_ALL)
# The plugins' child process; ttbridged looks for it in its own directory.
install(TARGETS ttb-plugin-host RUNTIME DESTINATION sbin COMPONENT ttbridge EXCLUDE_FROM_ALL)
install(TARGETS ttbridge RUNTIME DESTINATION bin COMPONENT ttbridge EXCLUDE_FROM_ALL)

# The vendor plugins of plugins/ only: tests/ adds plugins of its own (testvendor) to the list.
get_property(_plugin_targets GLOBAL PROPERTY TTB_PLUGIN_TARGETS)
set(TTB_DEB_PLUGINS "")
foreach(p ${_plugin_targets})
  get_target_property(_dir ${p} SOURCE_DIR)
  if(_dir MATCHES "^${PROJECT_SOURCE_DIR}/plugins/")
    list(APPEND TTB_DEB_PLUGINS ${p})
  endif()
endforeach()
install(TARGETS ${TTB_DEB_PLUGINS} LIBRARY DESTINATION ${TTB_DEB_PLUGINDIR} COMPONENT ttbridge
        EXCLUDE_FROM_ALL)
# Everything the package holds that the build makes; scripts/package builds this target.
add_custom_target(ttb_deb_contents DEPENDS ttbridged ttb-plugin-host ttbridge ${TTB_DEB_PLUGINS})

# The example config, with the installed paths instead of the source tree's relative ones.
ttb_deb_rewrite(${PROJECT_SOURCE_DIR}/config/ttbridged.yaml ${_deb_out}/ttbridged.yaml
  "# ttbridged main config." "# ttbridged main config, as installed by the ttbridge package."
  "these defaults suit `scripts/run` from the repository root"
  "the package sets absolute ones (docs/operations.md, \"The Debian package\")"
  "\"sqlite://var/ttbridge.db\"" "\"sqlite://${TTB_DEB_STATEDIR}/ttbridge.db\""
  "\"build/plugins\"" "\"/usr/${TTB_DEB_PLUGINDIR}\""
  "\"config/tenants\"" "\"${TTB_DEB_CONFDIR}/tenants\"")
install(FILES ${_deb_out}/ttbridged.yaml DESTINATION ${TTB_DEB_CONFDIR} COMPONENT ttbridge
        EXCLUDE_FROM_ALL)
# The example tenant ships as acme.yaml.example, which the daemon does not load: a tenant needs an
# activation token the package cannot know, and the service should start without one.
ttb_deb_rewrite(${PROJECT_SOURCE_DIR}/config/tenants/acme.yaml ${_deb_out}/acme.yaml.example
  "# One tenant:" "# An example tenant (copy it to acme.yaml to use it). One tenant:"
  "scripts/run\n# creates acme.token with a random 256-bit token, as `ttbridge tenants new` does for new tenants."
  "create\n# acme.token beside it with a random 256-bit token, readable by the ttbridge user only.")
install(FILES ${_deb_out}/acme.yaml.example DESTINATION ${TTB_DEB_CONFDIR}/tenants
        COMPONENT ttbridge EXCLUDE_FROM_ALL)
file(WRITE ${_deb_out}/conffiles
     "${TTB_DEB_CONFDIR}/ttbridged.yaml\n${TTB_DEB_CONFDIR}/tenants/acme.yaml.example\n")

# The systemd unit of scripts/, naming the installed daemon and documentation.
ttb_deb_rewrite(${PROJECT_SOURCE_DIR}/scripts/ttbridged.service ${_deb_out}/ttbridged.service
  "Install with `cmake --install build` (see docs/operations.md), then:"
  "Installed by the ttbridge package (docs/operations.md). Once it is configured:"
  "/usr/local/bin/ttbridged" "/usr/sbin/ttbridged"
  "file:///usr/local/share/doc/ttbridge/operations.md" "file:///usr/share/doc/ttbridge/operations.md")
install(FILES ${_deb_out}/ttbridged.service DESTINATION /lib/systemd/system COMPONENT ttbridge
        EXCLUDE_FROM_ALL)
install(DIRECTORY DESTINATION ${TTB_DEB_STATEDIR} COMPONENT ttbridge EXCLUDE_FROM_ALL)
install(FILES docs/operations.md docs/configuration.md docs/cli.md docs/plugin-isolation.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/ttbridge COMPONENT ttbridge EXCLUDE_FROM_ALL)
install(FILES ${TTB_DEB_DIR}/ttbridge.lintian-overrides DESTINATION share/lintian/overrides
        RENAME ttbridge COMPONENT ttbridge EXCLUDE_FROM_ALL)

# --- copyright and changelog.Debian.gz of both packages ------------------------------------------
set(TTB_DEB_VERSION ${PROJECT_VERSION}-${TTB_DEB_REVISION})
# The changelog's date follows SOURCE_DATE_EPOCH when it is set (reproducible builds).
string(TIMESTAMP TTB_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
find_program(GZIP_PROGRAM gzip REQUIRED)
foreach(pkg ttbridge ttbridge-sdk-dev)
  set(TTB_DEB_PACKAGE ${pkg})
  configure_file(${TTB_DEB_DIR}/changelog.in ${_deb_out}/${pkg}/changelog.Debian @ONLY)
  # -n: no name or time stamp in the gzip header, so the same changelog gives the same bytes.
  execute_process(COMMAND ${GZIP_PROGRAM} -9nf ${_deb_out}/${pkg}/changelog.Debian
                  RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "gzip ${_deb_out}/${pkg}/changelog.Debian failed")
  endif()
endforeach()
install(FILES ${TTB_DEB_DIR}/copyright ${_deb_out}/ttbridge/changelog.Debian.gz
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/ttbridge COMPONENT ttbridge EXCLUDE_FROM_ALL)
install(FILES ${TTB_DEB_DIR}/copyright ${_deb_out}/ttbridge-sdk-dev/changelog.Debian.gz
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/ttbridge-sdk-dev COMPONENT sdk EXCLUDE_FROM_ALL)
install(FILES ${TTB_DEB_DIR}/ttbridge-sdk-dev.lintian-overrides DESTINATION share/lintian/overrides
        RENAME ttbridge-sdk-dev COMPONENT sdk EXCLUDE_FROM_ALL)

# --- CPack ---------------------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ttbridge)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${TTB_DEB_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PRE_BUILD_SCRIPTS ${TTB_DEB_DIR}/strip-notes.cmake)
set(CPACK_TTB_OBJCOPY ${CMAKE_OBJCOPY})  # for strip-notes.cmake: CPack passes on CPACK_* variables only
set(CPACK_COMPONENTS_ALL ttbridge sdk)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # <name>_<version>-<revision>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE ${TTB_DEB_REVISION})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${TTB_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SOURCE ttbridge)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_TTBRIDGE_PACKAGE_NAME ttbridge)
set(CPACK_DEBIAN_TTBRIDGE_PACKAGE_SECTION net)
set(CPACK_DEBIAN_TTBRIDGE_PACKAGE_SHLIBDEPS ON)  # dpkg-shlibdeps adds the libraries' packages
# adduser: postinst creates the ttbridge user. libpq5: opened with dlopen by a PostgreSQL store,
# so dpkg-shlibdeps cannot see it; 14 or later for its pipeline mode (the store's group commit).
set(CPACK_DEBIAN_TTBRIDGE_PACKAGE_DEPENDS "adduser, libpq5 (>= 14)")
set(CPACK_DEBIAN_TTBRIDGE_PACKAGE_CONTROL_EXTRA
    ${_deb_out}/conffiles ${TTB_DEB_DIR}/postinst ${TTB_DEB_DIR}/prerm ${TTB_DEB_DIR}/postrm)
set(CPACK_DEBIAN_TTBRIDGE_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_COMPONENT_TTBRIDGE_DESCRIPTION
    "Teamtailor integration engine for assessment and background-check vendors
ttbridged brings vendors such as Checkr, HackerRank, Codility and TestGorilla
into Teamtailor: a recruiter sends a test to a candidate and the outcome is
written back onto the candidate's profile. This package holds the daemon (a
systemd service), the operator's command line tool ttbridge and the vendor
plugins.")

set(CPACK_DEBIAN_SDK_PACKAGE_NAME ttbridge-sdk-dev)
set(CPACK_DEBIAN_SDK_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_SDK_PACKAGE_ARCHITECTURE all)  # text only: headers, CMake files, template, docs
set(CPACK_DEBIAN_SDK_PACKAGE_RECOMMENDS "cmake (>= 3.16), g++, nlohmann-json3-dev")
set(CPACK_DEBIAN_SDK_PACKAGE_SUGGESTS "ttbridge")  # `ttbridge plugin check` tests a plugin
set(CPACK_COMPONENT_SDK_DESCRIPTION
    "SDK for ttbridge vendor plugins
Headers of the ttbridge plugin C ABI and its C++ helpers, the CMake package
ttbridge-sdk (find_package(ttbridge-sdk) and ttbridge_add_plugin) and a plugin
template in /usr/share/ttbridge/sdk/template, for building vendor plugins
that the ttbridge daemon loads. The plugin guide and the ABI reference are in
/usr/share/doc/ttbridge-sdk-dev.")

include(CPack)
