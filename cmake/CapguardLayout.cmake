# The layout's one mechanism: each folder below lang/, runtime/ and cli/ is one static library
# that names exactly the targets it depends on. capguard_library() builds the folder's sources
# (recursively) into the target and records "folder target deps..." so that the ctest entry
# layout_dependencies (tests/layout/check_includes.py) can refuse an include that runs against
# the architecture: a file may include headers of its own folder and of the folders of the targets
# its target depends on, directly or transitively, and nothing else of ours.
#
#   capguard_library(NAME capguard_core DEPS <our targets> EXTERNAL <third-party targets>)
#   capguard_register_folder(FOLDER cli/commands TARGET capguard DEPS <our targets>)

function(capguard_register_folder)
  cmake_parse_arguments(ARG "" "FOLDER;TARGET" "DEPS" ${ARGN})
  list(JOIN ARG_DEPS " " deps)
  set_property(GLOBAL APPEND PROPERTY CAPGUARD_LAYOUT "${ARG_FOLDER} ${ARG_TARGET} ${deps}")
endfunction()

function(capguard_library)
  cmake_parse_arguments(ARG "" "NAME" "DEPS;EXTERNAL;EXCLUDE" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  foreach(pattern IN LISTS ARG_EXCLUDE)
    list(FILTER sources EXCLUDE REGEX "${pattern}")
  endforeach()
  add_library(${ARG_NAME} STATIC ${sources})
  target_include_directories(${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${ARG_NAME} PUBLIC ${ARG_DEPS} ${ARG_EXTERNAL})
  file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  capguard_register_folder(FOLDER ${folder} TARGET ${ARG_NAME} DEPS ${ARG_DEPS})
endfunction()

# Writes the recorded layout to ${CMAKE_BINARY_DIR}/layout.txt, one folder a line.
function(capguard_write_layout)
  get_property(lines GLOBAL PROPERTY CAPGUARD_LAYOUT)
  list(JOIN lines "\n" text)
  file(WRITE ${CMAKE_BINARY_DIR}/layout.txt "${text}\n")
endfunction()
