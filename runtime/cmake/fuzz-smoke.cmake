# ctest script: a bounded libFuzzer run of the loader, the engine and the host backend.
#   cmake -DFUZZER=<rcb-fuzz or empty> -DCORPUS=<test/Bytecode/corpus> -DSECONDS=<n>
#         -DWORK=<scratch dir> -P fuzz-smoke.cmake
# Seeds: every file of the RCB corpus (valid and malformed) and runtime/fuzz/seeds (programs of
# the executor tests). Any crash, sanitizer report, leak or hang fails the test.
if(NOT FUZZER)
  message("SKIPPED: clang was not found when the build was configured; `make c-tools` installs "
          "it (as root, with apt-get), then re-run cmake")
  return()
endif()
get_filename_component(here "${CMAKE_CURRENT_LIST_DIR}" DIRECTORY)
file(REMOVE_RECURSE "${WORK}/seeds")
file(MAKE_DIRECTORY "${WORK}/seeds" "${WORK}/corpus" "${WORK}/artifacts")
file(GLOB seeds "${CORPUS}/valid/*.rcb" "${CORPUS}/malformed/*.rcb" "${here}/fuzz/seeds/*.rcb")
file(COPY ${seeds} DESTINATION "${WORK}/seeds")
list(LENGTH seeds count)
message("fuzzing for ${SECONDS} s from ${count} seeds")
execute_process(
  COMMAND "${FUZZER}" -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048 -max_len=16384
          -print_final_stats=1 -artifact_prefix=${WORK}/artifacts/
          "${WORK}/corpus" "${WORK}/seeds"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
string(REGEX MATCH "stat::number_of_executed_units: *[0-9]+" executions "${err}")
string(REGEX MATCH "stat::peak_rss_mb: *[0-9]+" rss "${err}")
message("${executions}\n${rss}")
if(NOT rc EQUAL 0)
  message("${err}")
  message(FATAL_ERROR "the fuzzer failed (exit ${rc}); the input is in ${WORK}/artifacts")
endif()
