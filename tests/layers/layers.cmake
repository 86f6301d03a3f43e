# layers.cmake - the build enforces the layers (docs/design.md, "Layers").
#
# For each layer, a header it must not see is compiled with exactly the
# include folders the layer's own sources get (its INCLUDE_DIRECTORIES, with
# those of the layers it links); the test passes only when the compiler says
# the header does not exist.  A header the layer may see is compiled the
# same way and must succeed, so the probe cannot pass for another reason.
#
#   layers/<layer>   probes: "LAYER HEADER:allowed|forbidden ..."
set(MS_LAYER_PROBES
  "ms_common ms_buf.h:allowed sampler.h:forbidden loader.h:forbidden rule.h:forbidden host_group.h:allowed"
  "ms_collect record.h:allowed loader.h:forbidden kv.h:forbidden bundle_summary.h:forbidden commands.h:forbidden"
  "ms_info record.h:allowed sampler.h:forbidden loader.h:forbidden"
  "ms_parse parse_num.h:allowed load_state.h:forbidden rule.h:forbidden sampler.h:forbidden"
  "ms_load kv.h:allowed sampler.h:forbidden rule.h:forbidden report.h:forbidden"
  "ms_stats stats_trend.h:allowed ms_buf.h:forbidden loader.h:forbidden"
  "ms_rule stats_sql.h:allowed loader.h:forbidden sampler.h:forbidden report.h:forbidden fleet_db.h:forbidden"
  "ms_report rule.h:allowed loader.h:forbidden sampler.h:forbidden kv.h:forbidden export.h:forbidden"
  "ms_export report.h:allowed fleet.h:allowed loader.h:forbidden fleet_db.h:forbidden sampler.h:forbidden")
foreach(group IN LISTS MS_LAYER_PROBES)
  separate_arguments(words UNIX_COMMAND "${group}")
  list(POP_FRONT words layer)
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/layers/${layer}.flags
       CONTENT "-I$<JOIN:$<TARGET_PROPERTY:${layer},INCLUDE_DIRECTORIES>,\n-I>\n")
  add_test(NAME layers/${layer}
           COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/probe.sh ${CMAKE_C_COMPILER}
                   ${CMAKE_BINARY_DIR}/layers/${layer}.flags ${words})
  set_tests_properties(layers/${layer} PROPERTIES LABELS unit)
endforeach()
