{{ subject_dimension(
    'economic_classes',
    var('basic_expenditure_table_types'),
    {3: 'class', 5: 'section'}
) }}
