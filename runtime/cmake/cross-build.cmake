# ctest script: the engine core (no host backend) cross-compiled for a Cortex-R5, bare metal.
#   cmake -DARM_GCC=<arm-none-eabi-gcc> -DSRC=<runtime/src> -DINCLUDE=<runtime/include>
#         -DWORK=<scratch dir> -P cross-build.cmake
# Fails on any warning, on an undefined symbol other than memcpy and memset, or on more than
# 16 KiB of .text; prints the section sizes.
if(NOT ARM_GCC OR ARM_GCC MATCHES "NOTFOUND")
  message("SKIPPED: arm-none-eabi-gcc was not found when the build was configured; "
          "`make c-tools` installs gcc-arm-none-eabi (as root, with apt-get), then re-run cmake")
  return()
endif()
string(REGEX REPLACE "gcc$" "nm" nm "${ARM_GCC}")
string(REGEX REPLACE "gcc$" "size" size "${ARM_GCC}")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
file(GLOB sources "${SRC}/*.c")
set(objects)
foreach(source ${sources})
  get_filename_component(name "${source}" NAME_WE)
  execute_process(
    COMMAND "${ARM_GCC}" -std=c11 -Wall -Wextra -Werror -pedantic -mcpu=cortex-r5 -ffreestanding
            -nostdlib -Os -ffunction-sections -fdata-sections -I${INCLUDE} -c "${source}"
            -o "${WORK}/${name}.o"
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cross compile of ${source} failed:\n${err}")
  endif()
  list(APPEND objects "${WORK}/${name}.o")
endforeach()
execute_process(COMMAND "${ARM_GCC}" -mcpu=cortex-r5 -nostdlib -r ${objects}
                        -o "${WORK}/rcb_engine.o" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "partial link failed:\n${err}")
endif()
execute_process(COMMAND "${nm}" -u "${WORK}/rcb_engine.o" OUTPUT_VARIABLE undefined)
string(REGEX MATCHALL "[A-Za-z_][A-Za-z0-9_]*\n" symbols "${undefined}")
foreach(symbol ${symbols})
  string(STRIP "${symbol}" symbol)
  if(NOT symbol MATCHES "^(memcpy|memset)$")
    message(FATAL_ERROR "the engine needs ${symbol}; only memcpy and memset may be undefined")
  endif()
endforeach()
execute_process(COMMAND "${size}" -A "${WORK}/rcb_engine.o" OUTPUT_VARIABLE sections)
set(text 0)
set(rodata 0)
set(data 0)
set(bss 0)
string(REPLACE "\n" ";" lines "${sections}")
foreach(line ${lines})
  if(line MATCHES "^\\.(text|rodata|data|bss)[^ ]* +([0-9]+)")
    math(EXPR ${CMAKE_MATCH_1} "${${CMAKE_MATCH_1}} + ${CMAKE_MATCH_2}")
  endif()
endforeach()
string(STRIP "${undefined}" undefined)
string(REPLACE "\n" ", " undefined "${undefined}")
message("cortex-r5 -Os engine core: .text ${text} B, .rodata ${rodata} B, .data ${data} B, "
        ".bss ${bss} B; undefined: ${undefined}")
if(text GREATER 16384)
  message(FATAL_ERROR ".text is ${text} bytes, above the 16 KiB budget")
endif()
