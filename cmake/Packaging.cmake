# Man pages, shell completions, install rules and the Debian package (CPack).
#
# The man pages (installed gzipped, as Debian does) and completions are generated at build time from the capguard binary itself
# (`capguard man --output-dir`, `capguard completion SHELL`: the same data as --help) and from
# spec/language.md (scripts/md2man.py), so they cannot drift from the help and the spec.

find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(CAPGUARD_MAN_DIR ${CMAKE_BINARY_DIR}/man)
set(CAPGUARD_COMPLETION_DIR ${CMAKE_BINARY_DIR}/completions)
add_custom_command(
  OUTPUT ${CAPGUARD_MAN_DIR}/capguard.1 ${CAPGUARD_MAN_DIR}/capguard-policy.5
         ${CAPGUARD_COMPLETION_DIR}/capguard ${CAPGUARD_COMPLETION_DIR}/_capguard
         ${CAPGUARD_COMPLETION_DIR}/capguard.fish
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CAPGUARD_MAN_DIR} ${CAPGUARD_COMPLETION_DIR}
  COMMAND $<TARGET_FILE:capguard> man --output-dir ${CAPGUARD_MAN_DIR}
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/md2man.py capguard-policy 5
          "capguard manual" ${PROJECT_SOURCE_DIR}/spec/language.md
          ${CAPGUARD_MAN_DIR}/capguard-policy.5
  COMMAND sh -c "for page in ${CAPGUARD_MAN_DIR}/*.[15]; do gzip -9 -n -c $page > $page.gz; done"
  COMMAND sh -c "$<TARGET_FILE:capguard> completion bash > ${CAPGUARD_COMPLETION_DIR}/capguard"
  COMMAND sh -c "$<TARGET_FILE:capguard> completion zsh > ${CAPGUARD_COMPLETION_DIR}/_capguard"
  COMMAND sh -c "$<TARGET_FILE:capguard> completion fish > ${CAPGUARD_COMPLETION_DIR}/capguard.fish"
  DEPENDS capguard ${PROJECT_SOURCE_DIR}/scripts/md2man.py ${PROJECT_SOURCE_DIR}/spec/language.md
  COMMENT "Generating man pages and shell completions"
  VERBATIM)
add_custom_target(capguard_docs ALL
                  DEPENDS ${CAPGUARD_MAN_DIR}/capguard.1 ${CAPGUARD_MAN_DIR}/capguard-policy.5
                          ${CAPGUARD_COMPLETION_DIR}/capguard)

include(GNUInstallDirs)
install(TARGETS capguard RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# A static capguard executes capguard-engine, from ../libexec/capguard/ beside its own folder, to
# read Docker engines (cli/common/engine_twin.hpp).
if(TARGET capguard-engine)
  install(TARGETS capguard-engine RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/capguard)
endif()
install(DIRECTORY ${CAPGUARD_MAN_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        FILES_MATCHING PATTERN "*.1.gz")
install(DIRECTORY ${CAPGUARD_MAN_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man5
        FILES_MATCHING PATTERN "*.5.gz")
install(FILES ${CAPGUARD_COMPLETION_DIR}/capguard
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${CAPGUARD_COMPLETION_DIR}/_capguard
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${CAPGUARD_COMPLETION_DIR}/capguard.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/spec/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/spec
        FILES_MATCHING PATTERN "*.md")
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/cmake/debian/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
# Debian wants the changelog gzipped (lintian: no-changelog).
set(CAPGUARD_CHANGELOG ${CMAKE_BINARY_DIR}/changelog.gz)
add_custom_command(OUTPUT ${CAPGUARD_CHANGELOG}
                   COMMAND sh -c "gzip -9 -n -c ${PROJECT_SOURCE_DIR}/cmake/debian/changelog > ${CAPGUARD_CHANGELOG}"
                   DEPENDS ${PROJECT_SOURCE_DIR}/cmake/debian/changelog VERBATIM)
add_custom_target(capguard_changelog ALL DEPENDS ${CAPGUARD_CHANGELOG})
install(FILES ${CAPGUARD_CHANGELOG} DESTINATION ${CMAKE_INSTALL_DOCDIR})
# lintian reads the static-pie capguard as a shared library without dependencies (the file says
# why).
if(TARGET capguard-engine)
  install(FILES ${PROJECT_SOURCE_DIR}/cmake/debian/lintian-overrides
          DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME capguard)
endif()

# `make deb` (cpack -G DEB in the build folder): capguard_<version>_<arch>.deb, its library
# dependencies found by dpkg-shlibdeps (with CAPGUARD_STATIC, libc6 alone: capguard is static,
# capguard-engine needs libc). libcurl4 is recommended, not required: capguard-engine loads it
# (dlopen) only to read containers from an engine
# (check --docker, caps --docker, drift, watch), and says to install it when it is missing.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME capguard)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "capguard developers <capguard@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "container-security policies for Compose files and docker inspect output")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "capguard checks what containers are allowed to do (capabilities, privileged\n"
       "mode, users, read-only root filesystems, security options, host namespaces,\n"
       "devices, mounts, resources) with policies in a small declarative language,\n"
       "against Docker Compose projects and docker inspect output. A standard\n"
       "library of policies is built in.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS libcurl4)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/capguard/capguard")
set(CPACK_STRIP_FILES ON)
include(CPack)
