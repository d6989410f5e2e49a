{{ subject_dimension(
    'function_classes',
    var('function_expenditure_table_types') + var('income_by_function_table_types'),
    {3: 'class', 5: 'section', 7: 'item'}
) }}
